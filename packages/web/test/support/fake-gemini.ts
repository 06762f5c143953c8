import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScrapeStep } from '../../src/scrape/gemini.ts';

export interface FakeRequest {
  model: string;
  step: ScrapeStep | 'unknown';
  prompt: string;
  hasTools: boolean;
  hasSchema: boolean;
  /** The googleSearch tool was sent. */
  search: boolean;
  urlContext: boolean;
  /** `flex` when the request asked for the Flex tier. */
  serviceTier?: string;
  /** For showtimes prompts: the movie title after a line `Movie: …` and the first YYYY-MM-DD in the prompt. */
  movie?: string;
  day?: string;
  /** From the x-goog-api-key header or ?key=. */
  apiKey?: string;
}

export interface FakeUsage {
  prompt: number;
  output: number;
  tool: number;
  thoughts: number;
  /** Part of `prompt` served from the implicit cache; reported only when above 0. */
  cached: number;
}

/** What URL context says it did with one page. */
export interface FakeUrlRead {
  url: string;
  status?:
    | 'URL_RETRIEVAL_STATUS_SUCCESS'
    | 'URL_RETRIEVAL_STATUS_ERROR'
    | 'URL_RETRIEVAL_STATUS_PAYWALL'
    | 'URL_RETRIEVAL_STATUS_UNSAFE';
}

/** Grounding the reply reports: search queries run (default: one when search was on) and pages read (default: every URL in the prompt, read). */
interface FakeGrounding {
  searchQueries?: string[];
  urlReads?: FakeUrlRead[];
}

export type FakeReply =
  | ({ json: unknown; usage?: Partial<FakeUsage> } & FakeGrounding)
  | ({ text: string; usage?: Partial<FakeUsage> } & FakeGrounding)
  | { error: number; message?: string; retryDelaySeconds?: number; quotaId?: string; retryAfterHeader?: string }
  | { empty: true };

export interface FakeGeminiOptions {
  /** Scripted answers; called for every request except the ones refused by `rejectToolsWithSchema`. May be async. */
  answer: (request: FakeRequest) => FakeReply | Promise<FakeReply>;
  latencyMs?: number | ((request: FakeRequest) => number);
  /** Behave like Gemini 2.5: HTTP 400 for tools + JSON schema together. */
  rejectToolsWithSchema?: boolean;
  /** Tokens charged per call for grounding (when tools were sent) and thinking when the reply does not say; 400 and 200. */
  toolTokensPerCall?: number;
  thoughtTokensPerCall?: number;
  /** The model list (GET /v1beta/models), every one supporting generateContent; default FAKE_MODELS. */
  models?: string[];
  /** Ids that answer 404 to generateContent, as retired models do; default RETIRED_MODELS. */
  retired?: string[];
  /** Tool-use tokens charged per page URL context read successfully (its content bills as input); default 0. */
  pageTokens?: number;
  /** Page size of the model list when the request names none. */
  modelsPageSize?: number;
}

export const FAKE_MODELS = ['gemini-3.5-flash', 'gemini-3.8-flash', 'gemini-3.5-flash-lite', 'gemini-3.1-pro-preview'];
export const RETIRED_MODELS = ['gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.5-pro'];

export interface FakeGemini {
  /** Base URL to pass as GEMINI_BASE_URL / baseUrl. */
  url: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  setLatency(ms: number): void;
  close(): Promise<void>;
}

const STEPS: ScrapeStep[] = ['theaters', 'movies', 'showtimes'];
const ROUTE = /^\/v1(?:beta)?\/models\/([^/:]+):generateContent$/;
const LIST_ROUTE = /^\/v1(?:beta)?\/models\/?$/;
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  408: 'DEADLINE_EXCEEDED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
export const TOOLS_WITH_SCHEMA_MESSAGE = "Tool use with a response mime type: 'application/json' is unsupported";

type Json = Record<string, unknown>;
const objectAt = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
/** The REST API takes proto field names in camelCase or snake_case. */
const field = (object: Json, camel: string, snake: string): unknown => object[camel] ?? object[snake];

function stepOf(schema: unknown, prompt: string): ScrapeStep | 'unknown' {
  const names = Object.keys(objectAt(objectAt(schema).properties));
  if (names.length === 1 && STEPS.includes(names[0] as ScrapeStep)) return names[0] as ScrapeStep;
  const found = STEPS.map((step) => ({ step, at: prompt.indexOf(`{"${step}":`) })).filter(({ at }) => at >= 0);
  return found.sort((a, b) => a.at - b.at)[0]?.step ?? 'unknown';
}

function parseRequest(model: string, body: Json, req: IncomingMessage, url: URL): FakeRequest {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  const prompt = contents
    .flatMap((content) => (Array.isArray(objectAt(content).parts) ? (objectAt(content).parts as unknown[]) : []))
    .map((part) => objectAt(part).text)
    .filter((text) => typeof text === 'string')
    .join('\n');
  const tools = Array.isArray(body.tools) ? body.tools.map(objectAt) : [];
  const config = objectAt(field(body, 'generationConfig', 'generation_config'));
  const schema =
    field(config, 'responseSchema', 'response_schema') ?? field(config, 'responseJsonSchema', 'response_json_schema');
  const step = stepOf(schema, prompt);
  const header = req.headers['x-goog-api-key'];
  const apiKey = (typeof header === 'string' ? header : undefined) ?? url.searchParams.get('key') ?? undefined;
  const movie = step === 'showtimes' ? /^Movie:\s*(.+?)\s*$/m.exec(prompt)?.[1] : undefined;
  const day = step === 'showtimes' ? /\d{4}-\d{2}-\d{2}/.exec(prompt)?.[0] : undefined;
  return {
    model,
    step,
    prompt,
    hasTools: tools.length > 0,
    hasSchema: schema !== undefined,
    search: tools.some((tool) => field(tool, 'googleSearch', 'google_search') !== undefined),
    ...(typeof field(body, 'serviceTier', 'service_tier') === 'string'
      ? { serviceTier: String(field(body, 'serviceTier', 'service_tier')).toLowerCase() }
      : {}),
    urlContext: tools.some((tool) => field(tool, 'urlContext', 'url_context') !== undefined),
    ...(movie !== undefined ? { movie } : {}),
    ...(day !== undefined ? { day } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, model: string, reply: Extract<FakeReply, { error: number }>): void {
  const details: Json[] = [];
  if (reply.quotaId) {
    details.push({
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [
        {
          quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
          quotaId: reply.quotaId,
          quotaDimensions: { location: 'global', model },
          quotaValue: '250',
        },
      ],
    });
  }
  if (reply.retryDelaySeconds !== undefined) {
    details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${reply.retryDelaySeconds}s` });
  }
  const message = reply.message ?? (reply.error === 429 ? 'You exceeded your current quota.' : 'Fake Gemini error.');
  const status = STATUS_NAMES[reply.error] ?? 'UNKNOWN';
  const headers: Record<string, string> = reply.retryAfterHeader ? { 'retry-after': reply.retryAfterHeader } : {};
  send(res, reply.error, { error: { code: reply.error, message, status, details } }, headers);
}

function chatty(json: unknown): string {
  return `Here is what I found with Google Search:\n\n\`\`\`json\n${JSON.stringify(json, null, 2)}\n\`\`\`\n\nThe data comes from the cinemas' own listings.`;
}

/** One page of the model list, in the REST shape the SDK's `models.list()` pages through. */
function sendModelList(res: ServerResponse, url: URL, options: FakeGeminiOptions): void {
  const ids = options.models ?? FAKE_MODELS;
  const size = Number(url.searchParams.get('pageSize') ?? options.modelsPageSize ?? 50) || 50;
  const from = Number(url.searchParams.get('pageToken') ?? 0) || 0;
  const page = ids.slice(from, from + size).map((id) => ({
    name: `models/${id}`,
    displayName: id,
    supportedGenerationMethods: ['generateContent', 'countTokens'],
  }));
  const next = from + size < ids.length ? { nextPageToken: String(from + size) } : {};
  send(res, 200, { models: page, ...next });
}

const URL_IN_PROMPT = /https?:\/\/[^\s)"'<>]+/g;

/** The pages URL context says it read: as the reply says, else every URL in the prompt. */
function pagesReadOf(request: FakeRequest, reply: FakeGrounding): FakeUrlRead[] {
  if (!request.urlContext) return [];
  return reply.urlReads ?? [...request.prompt.matchAll(URL_IN_PROMPT)].map(([url]) => ({ url }));
}

/** groundingMetadata and urlContextMetadata of a candidate, as the tools sent and the reply say. */
function groundingOf(request: FakeRequest, reply: FakeGrounding): Json {
  const queries = reply.searchQueries ?? (request.search ? [`${request.step} ${request.movie ?? ''}`.trim()] : []);
  const reads = pagesReadOf(request, reply);
  return {
    ...(request.search ? { groundingMetadata: { webSearchQueries: queries } } : {}),
    ...(request.urlContext
      ? {
          urlContextMetadata: {
            urlMetadata: reads.map((read) => ({
              retrievedUrl: read.url,
              urlRetrievalStatus: read.status ?? 'URL_RETRIEVAL_STATUS_SUCCESS',
            })),
          },
        }
      : {}),
  };
}

/** A local server speaking Gemini's generateContent REST shape, answering from a script. */
export async function startFakeGemini(options: FakeGeminiOptions): Promise<FakeGemini> {
  const requests: FakeRequest[] = [];
  let latency = options.latencyMs ?? 0;
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = ROUTE.exec(url.pathname);
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.method === 'GET' && LIST_ROUTE.test(url.pathname)) {
      sendModelList(res, url, options);
      return;
    }
    if (req.method !== 'POST' || !route?.[1]) {
      sendError(res, '', { error: 404, message: `Unknown route ${req.method} ${url.pathname}.` });
      return;
    }
    const model = decodeURIComponent(route[1]);
    const request = parseRequest(model, objectAt(JSON.parse(raw || '{}')), req, url);
    requests.push(request);
    const ms = typeof latency === 'function' ? latency(request) : latency;
    if (ms > 0) await wait(ms);

    if ((options.retired ?? RETIRED_MODELS).includes(model)) {
      sendError(res, model, {
        error: 404,
        message: `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      });
      return;
    }
    if (options.rejectToolsWithSchema && request.hasTools && request.hasSchema) {
      sendError(res, model, { error: 400, message: TOOLS_WITH_SCHEMA_MESSAGE });
      return;
    }
    const reply = await options.answer(request);
    if ('error' in reply) {
      sendError(res, model, reply);
      return;
    }
    const promptTokens = Math.ceil(request.prompt.length / 4);
    if ('empty' in reply) {
      send(res, 200, {
        candidates: [{ index: 0, finishReason: 'SAFETY' }],
        usageMetadata: { promptTokenCount: promptTokens, totalTokenCount: promptTokens },
        modelVersion: model,
      });
      return;
    }
    const text = 'text' in reply ? reply.text : request.hasSchema ? JSON.stringify(reply.json) : chatty(reply.json);
    const pagesRead = pagesReadOf(request, reply).filter(
      (read) => (read.status ?? 'URL_RETRIEVAL_STATUS_SUCCESS') === 'URL_RETRIEVAL_STATUS_SUCCESS',
    );
    const usage: FakeUsage = {
      prompt: promptTokens,
      output: Math.ceil(text.length / 4),
      tool: (request.hasTools ? (options.toolTokensPerCall ?? 400) : 0) + pagesRead.length * (options.pageTokens ?? 0),
      thoughts: options.thoughtTokensPerCall ?? 200,
      cached: 0,
      ...reply.usage,
    };
    send(res, 200, {
      candidates: [
        {
          index: 0,
          content: { role: 'model', parts: [{ text }] },
          finishReason: 'STOP',
          ...groundingOf(request, reply),
        },
      ],
      usageMetadata: {
        promptTokenCount: usage.prompt,
        candidatesTokenCount: usage.output,
        toolUsePromptTokenCount: usage.tool,
        thoughtsTokenCount: usage.thoughts,
        ...(usage.cached > 0 ? { cachedContentTokenCount: usage.cached } : {}),
        totalTokenCount: usage.prompt + usage.output + usage.tool + usage.thoughts,
      },
      modelVersion: model,
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      sendError(res, '', { error: 500, message: `Fake Gemini failed: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setLatency(ms) {
      latency = ms;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
