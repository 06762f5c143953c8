import { setTimeout as delay } from 'node:timers/promises';
import {
  ApiError,
  type GenerateContentParameters,
  type GenerateContentResponse,
  GoogleGenAI,
  ServiceTier,
  type Tool,
} from '@google/genai';
import { z } from 'zod';
import { addCallUsage, type CallUsage, type ModelInfo, noUsage, resolveOffline } from './models.ts';

export type ScrapeStep = 'theaters' | 'movies' | 'showtimes';

export interface AskRequest {
  step: ScrapeStep;
  prompt: string;
  /** JSON Schema (OpenAPI subset Gemini accepts) of the answer; its top-level object has exactly one property named like the step. */
  responseSchema: Record<string, unknown>;
  /** Google Search grounding; on unless false. */
  search?: boolean;
  /** Also enable the URL-context tool (read cinema pages). */
  urlContext?: boolean;
  /** `flex` for work nobody waits for: half price, minutes of latency. */
  serviceTier?: 'flex';
}

export interface AskResult {
  /** The model's final answer text: JSON expected, but the caller validates it (it may be fenced or chatty). */
  text: string;
  /** Summed over every HTTP call of this ask, failed attempts that reported usage included. */
  usage: CallUsage;
  /** HTTP calls made, retries and both calls of the fallback included. */
  calls: number;
  /** True when the two-call path (grounded text, then JSON formatting without tools) was used. */
  fallback: boolean;
}

export type GeminiErrorKind =
  | 'daily-quota'
  | 'rate-limited'
  | 'server'
  | 'timeout'
  | 'network'
  | 'auth'
  | 'bad-request'
  | 'empty';

export class GeminiError extends Error {
  readonly kind: GeminiErrorKind;
  readonly status?: number;
  readonly usage: CallUsage;
  readonly calls: number;
  constructor(kind: GeminiErrorKind, message: string, details: { status?: number; usage: CallUsage; calls: number }) {
    super(message);
    this.name = 'GeminiError';
    this.kind = kind;
    if (details.status !== undefined) this.status = details.status;
    this.usage = details.usage;
    this.calls = details.calls;
  }
}

export interface GeminiClient {
  readonly model: ModelInfo;
  ask(request: AskRequest): Promise<AskResult>;
}

export interface GeminiOptions {
  apiKey: string;
  /** The model chosen at start-up (see chooseModel), or a name resolved with the fallback table (resolveOffline). */
  model: ModelInfo | string;
  /** Set when no usable model was found at start-up: every question fails with this sentence, nothing is sent. */
  unusable?: string;
  /** GEMINI_BASE_URL: replaces the Google endpoint (proxies, gateways, tests). */
  baseUrl?: string;
  /** Per HTTP request; default 60 s. */
  timeoutMs?: number;
  /** Default 4. */
  maxRetries?: number;
  /** Default 1 s. */
  retryBaseMs?: number;
  /** Default 60 s. A server asking for a longer pause ends the retries instead. */
  maxRetryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
  log?: { warn(message: string, meta?: object): void; debug(message: string, meta?: object): void };
}

/**
 * Endpoint + model pairs that answered HTTP 400 to Google Search together with a JSON schema although the
 * model table said they take both: a safety net, asked in two calls from then on.
 */
const refusesToolsWithSchema = new Set<string>();

/** Gemini 2.5: "Tool use with a response mime type: 'application/json' is unsupported". */
const TOOLS_WITH_SCHEMA_REFUSAL =
  /(tool use|function calling) with a response mime type|(tool|search)\b.*\b(mime ?type|json|schema)\b.*\b(unsupported|not supported)/i;

const googleErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    details: z
      .array(
        z.object({
          '@type': z.string().optional(),
          retryDelay: z.string().optional(),
          violations: z.array(z.object({ quotaId: z.string().optional() })).optional(),
        }),
      )
      .optional(),
  }),
});

/** Why one HTTP call failed, with the pause the server asked for. */
class CallFailure extends Error {
  readonly kind: GeminiErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly refusesToolsWithSchema: boolean;
  constructor(
    kind: GeminiErrorKind,
    message: string,
    extra: { status?: number; retryAfterMs?: number; refusesToolsWithSchema?: boolean } = {},
  ) {
    super(message);
    this.kind = kind;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
    this.refusesToolsWithSchema = extra.refusesToolsWithSchema ?? false;
  }
}

/** The kinds worth retrying, with what to tell the user when the retries run out. */
const RETRY_HINT: Partial<Record<GeminiErrorKind, string>> = {
  'rate-limited': 'wait a minute or scrape fewer cities at once.',
  server: 'try again later.',
  timeout: 'try again later.',
  network: 'check the network connection and GEMINI_BASE_URL.',
};

/** Google's `retryDelay` ("7s", "0.5s") or a Retry-After header (seconds or an HTTP date), in ms. */
function pauseMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = /^\s*(\d+(?:\.\d+)?)s?\s*$/.exec(value);
  if (seconds) return Math.ceil(Number(seconds[1]) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function httpFailure(error: ApiError, retryAfterHeader: string | null): CallFailure {
  const status = error.status;
  let parsed: z.infer<typeof googleErrorBody>['error'] | undefined;
  try {
    parsed = googleErrorBody.safeParse(JSON.parse(error.message)).data?.error;
  } catch {}
  const said = parsed?.message ?? error.message;
  const details = parsed?.details ?? [];
  const retryDelays = [pauseMs(retryAfterHeader), ...details.map((detail) => pauseMs(detail.retryDelay))].filter(
    (ms) => ms !== undefined,
  );
  const retryAfterMs = retryDelays.length > 0 ? Math.max(...retryDelays) : undefined;
  const quotaIds = details.flatMap((detail) => detail.violations ?? []).map((violation) => violation.quotaId ?? '');
  const dailyQuota = quotaIds.find((id) => /per ?day/i.test(id));

  if (status === 429 && dailyQuota) {
    return new CallFailure(
      'daily-quota',
      `Gemini's daily quota is used up (${dailyQuota}); try again tomorrow or use a key with billing enabled.`,
      { status },
    );
  }
  if (status === 429) {
    return new CallFailure('rate-limited', `Gemini is rate limiting requests (HTTP 429: ${said}).`, {
      status,
      retryAfterMs,
    });
  }
  if (status === 408) {
    return new CallFailure('timeout', `Gemini timed out (HTTP 408: ${said}).`, { status, retryAfterMs });
  }
  if (status >= 500) {
    return new CallFailure('server', `Gemini failed (HTTP ${status}: ${said}).`, { status, retryAfterMs });
  }
  if (status === 401 || status === 403) {
    return new CallFailure('auth', `Gemini rejected the API key (HTTP ${status}: ${said}); check GEMINI_API_KEY.`, {
      status,
    });
  }
  return new CallFailure('bad-request', `Gemini refused the request (HTTP ${status}: ${said}).`, {
    status,
    refusesToolsWithSchema: status === 400 && TOOLS_WITH_SCHEMA_REFUSAL.test(said),
  });
}

function failureOf(error: unknown, retryAfterHeader: string | null, timeoutMs: number): CallFailure {
  if (error instanceof CallFailure) return error;
  if (error instanceof ApiError) return httpFailure(error, retryAfterHeader);
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new CallFailure('timeout', `Gemini did not answer within ${timeoutMs / 1000} s.`);
  }
  if (error instanceof SyntaxError) {
    return new CallFailure('server', `Gemini sent an unreadable answer (${error.message}).`);
  }
  const said = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return new CallFailure('network', `Could not reach Gemini (${said}${cause}).`);
}

/** The model's text parts, thoughts left out; undefined when it said nothing. */
function answerText(response: GenerateContentResponse): string | undefined {
  const parts = response.candidates?.[0]?.content?.parts ?? [];
  const text = parts
    .filter((part) => typeof part.text === 'string' && !part.thought)
    .map((part) => part.text)
    .join('');
  return text.trim() === '' ? undefined : text;
}

function emptyAnswer(response: GenerateContentResponse): CallFailure {
  const reason = response.promptFeedback?.blockReason ?? response.candidates?.[0]?.finishReason ?? 'no candidates';
  return new CallFailure('empty', `Gemini returned no answer text (${reason}); try again or rephrase the prompt.`);
}

/** Response parsing: the answer text, or a failure saying why there is none. */
function readAnswer(response: GenerateContentResponse): string {
  const text = answerText(response);
  if (text === undefined) throw emptyAnswer(response);
  return text;
}

/** What one ask has spent so far. */
interface Tally {
  usage: CallUsage;
  calls: number;
}

function newTally(): Tally {
  return { usage: noUsage(), calls: 0 };
}

/** Usage accounting: one response's tokens by kind, its search queries and its URL retrievals. */
export function usageOf(response: GenerateContentResponse): CallUsage {
  const usage = response.usageMetadata;
  const candidate = response.candidates?.[0];
  const queries = (candidate?.groundingMetadata?.webSearchQueries ?? []).filter(
    (query) => typeof query === 'string' && query.trim() !== '',
  ).length;
  const pages = candidate?.urlContextMetadata?.urlMetadata ?? [];
  return {
    tokens: {
      prompt: usage?.promptTokenCount ?? 0,
      output: usage?.candidatesTokenCount ?? 0,
      tool: usage?.toolUsePromptTokenCount ?? 0,
      thoughts: usage?.thoughtsTokenCount ?? 0,
      cached: usage?.cachedContentTokenCount ?? 0,
    },
    searchQueries: queries,
    groundedPrompts: queries > 0 ? 1 : 0,
    urlRetrievals: pages.length,
    urlFailures: pages.filter((page) => page.urlRetrievalStatus !== 'URL_RETRIEVAL_STATUS_SUCCESS').length,
  };
}

function formattingPrompt(prompt: string, groundedAnswer: string): string {
  return `${prompt}\n\nA Google Search for the request above found:\n\n${groundedAnswer}\n\nReturn only the JSON object described above, built from what was found, with no other text.`;
}

interface Call {
  contents: string;
  tools: Tool[];
  responseSchema?: Record<string, unknown>;
  serviceTier?: 'flex';
}

/** Request building: one call as the SDK's generateContent parameters, sent through `fetchFn`. */
function generateRequest(modelId: string, call: Call, fetchFn: typeof fetch): GenerateContentParameters {
  return {
    model: modelId,
    contents: call.contents,
    config: {
      tools: call.tools,
      ...(call.serviceTier ? { serviceTier: ServiceTier.FLEX } : {}),
      ...(call.responseSchema ? { responseMimeType: 'application/json', responseSchema: call.responseSchema } : {}),
      httpOptions: { fetch: fetchFn },
    },
  };
}

/** A fetch that keeps the Retry-After header of its last response: the SDK's errors leave headers out. */
function retryAfterNoting(): { fetch: typeof fetch; retryAfter: () => string | null } {
  let retryAfterHeader: string | null = null;
  return {
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      retryAfterHeader = response.headers.get('retry-after');
      return response;
    },
    retryAfter: () => retryAfterHeader,
  };
}

interface RetryPolicy {
  maxRetries: number;
  retryBaseMs: number;
  maxRetryDelayMs: number;
  /** Jitter source in [0, 1). */
  random: () => number;
}

/**
 * Retry policy: after attempt number `attempt` (from 0) failed, how long to wait before the next one, or the
 * failure to give up with. Retried: 408, 429, 5xx, timeouts and network errors; exponential backoff with jitter,
 * never shorter than the pause the server asked for, nor longer than `maxRetryDelayMs`.
 */
function nextAttempt(
  policy: RetryPolicy,
  failure: CallFailure,
  attempt: number,
): { waitMs: number } | { giveUp: CallFailure } {
  const hint = RETRY_HINT[failure.kind];
  if (hint === undefined) return { giveUp: failure };
  const attempts = `${attempt + 1} attempt${attempt === 0 ? '' : 's'}`;
  const giveUp = (reason: string) => ({
    giveUp: new CallFailure(failure.kind, `${failure.message.replace(/\.$/, '')} after ${attempts}; ${reason}`, {
      status: failure.status,
    }),
  });
  if (attempt >= policy.maxRetries) return giveUp(hint);
  if ((failure.retryAfterMs ?? 0) > policy.maxRetryDelayMs) {
    return giveUp(`it asked for a ${Math.ceil((failure.retryAfterMs ?? 0) / 1000)} s pause, ${hint}`);
  }
  const backoff = Math.min(policy.maxRetryDelayMs, policy.retryBaseMs * 2 ** attempt * (0.5 + policy.random()));
  return { waitMs: Math.round(Math.max(backoff, failure.retryAfterMs ?? 0)) };
}

/** What the calls of one client share. */
interface Caller {
  ai: GoogleGenAI;
  model: ModelInfo;
  timeoutMs: number;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  log?: GeminiOptions['log'];
  /** Hides the API key in a message. */
  redact: (text: string) => string;
}

/** One HTTP call: counted, sent, its usage added, its answer read. */
async function callOnce(caller: Caller, call: Call, step: ScrapeStep, tally: Tally, fetchFn: typeof fetch) {
  tally.calls += 1;
  const response = await caller.ai.models.generateContent(generateRequest(caller.model.id, call, fetchFn));
  addCallUsage(tally.usage, usageOf(response));
  caller.log?.debug('gemini call', {
    step,
    model: caller.model.id,
    calls: tally.calls,
    usage: response.usageMetadata,
  });
  return readAnswer(response);
}

/** One logical call, retried as the retry policy says. */
async function callWithRetries(caller: Caller, call: Call, step: ScrapeStep, tally: Tally): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const noting = retryAfterNoting();
    try {
      return await callOnce(caller, call, step, tally, noting.fetch);
    } catch (error) {
      const failure = failureOf(error, noting.retryAfter(), caller.timeoutMs);
      const next = nextAttempt(caller.retry, failure, attempt);
      if ('giveUp' in next) throw next.giveUp;
      caller.log?.warn('gemini call failed, retrying', {
        step,
        model: caller.model.id,
        kind: failure.kind,
        status: failure.status,
        reason: caller.redact(failure.message),
        attempt: attempt + 1,
        waitMs: next.waitMs,
      });
      await caller.sleep(next.waitMs);
    }
  }
}

/** The two-call path for models that refuse tools with a schema: a grounded text answer, then JSON built from it. */
async function askInTwoCalls(caller: Caller, request: AskRequest, tools: Tool[], tally: Tally): Promise<string> {
  const { serviceTier } = request;
  const grounded = await callWithRetries(caller, { contents: request.prompt, tools, serviceTier }, request.step, tally);
  return callWithRetries(
    caller,
    {
      contents: formattingPrompt(request.prompt, grounded),
      tools: [],
      responseSchema: request.responseSchema,
      serviceTier,
    },
    request.step,
    tally,
  );
}

function toolsOf(request: AskRequest): Tool[] {
  return [
    ...(request.search === false ? [] : [{ googleSearch: {} }]),
    ...(request.urlContext ? [{ urlContext: {} }] : []),
  ];
}

/** One question: in one call when the model takes its tools with a JSON schema, else in two. */
async function ask(caller: Caller, memoryKey: string, request: AskRequest): Promise<AskResult> {
  const tools = toolsOf(request);
  const tally = newTally();
  try {
    const oneCall = tools.length === 0 || (caller.model.searchWithSchema && !refusesToolsWithSchema.has(memoryKey));
    if (oneCall) {
      try {
        const call = {
          contents: request.prompt,
          tools,
          responseSchema: request.responseSchema,
          serviceTier: request.serviceTier,
        };
        const text = await callWithRetries(caller, call, request.step, tally);
        return { text, usage: tally.usage, calls: tally.calls, fallback: false };
      } catch (error) {
        if (!(error instanceof CallFailure && error.refusesToolsWithSchema)) throw error;
        refusesToolsWithSchema.add(memoryKey);
        caller.log?.warn('gemini model refuses its tools with a JSON schema; asking in two calls from now on', {
          model: caller.model.id,
        });
      }
    }
    const text = await askInTwoCalls(caller, request, tools, tally);
    return { text, usage: tally.usage, calls: tally.calls, fallback: true };
  } catch (error) {
    const failure = error instanceof CallFailure ? error : failureOf(error, null, caller.timeoutMs);
    throw new GeminiError(failure.kind, caller.redact(failure.message), {
      ...(failure.status !== undefined ? { status: failure.status } : {}),
      usage: tally.usage,
      calls: tally.calls,
    });
  }
}

export function createGeminiClient(options: GeminiOptions): GeminiClient {
  if (!options.apiKey)
    throw new Error('GEMINI_API_KEY is not set; create a key at https://aistudio.google.com/apikey.');
  const model = typeof options.model === 'string' ? resolveOffline(options.model) : options.model;
  const apiKey = options.apiKey;
  const timeoutMs = options.timeoutMs ?? 60_000;
  // No retryOptions: the SDK then makes exactly one attempt per call, and callWithRetries makes the only retries.
  const ai = new GoogleGenAI({
    apiKey,
    vertexai: false,
    httpOptions: { apiVersion: 'v1beta', timeout: timeoutMs, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) },
  });
  const caller: Caller = {
    ai,
    model,
    timeoutMs,
    retry: {
      maxRetries: options.maxRetries ?? 4,
      retryBaseMs: options.retryBaseMs ?? 1_000,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
      random: options.random ?? Math.random,
    },
    sleep: options.sleep ?? ((ms: number) => delay(ms)),
    log: options.log,
    redact: (text) => text.split(apiKey).join('[REDACTED]'),
  };
  const memoryKey = `${options.baseUrl ?? 'google'} ${model.id}`;
  const { unusable } = options;
  if (unusable) {
    const refusal = () => new GeminiError('bad-request', unusable, { usage: noUsage(), calls: 0 });
    return { model, ask: () => Promise.reject(refusal()) };
  }
  return { model, ask: (request) => ask(caller, memoryKey, request) };
}
