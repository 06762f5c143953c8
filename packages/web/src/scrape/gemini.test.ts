import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type FakeGemini,
  type FakeGeminiOptions,
  type FakeReply,
  startFakeGemini,
} from '../../test/support/fake-gemini.ts';
import { type AskRequest, createGeminiClient, GeminiError, type GeminiOptions } from './gemini.ts';

const API_KEY = 'AIzaSyTest-0123456789abcdefghijklmnop';
const THEATERS = { theaters: [{ name: 'Multiplex Lavina', url: 'https://multiplex.ua' }] };

const theatersRequest: AskRequest = {
  step: 'theaters',
  prompt:
    'List the cinemas of Kyiv with their websites. Answer with JSON like {"theaters": [{"name": "…", "url": "…"}]}.',
  responseSchema: {
    type: 'object',
    properties: {
      theaters: {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string' }, url: { type: 'string' } } },
      },
    },
    required: ['theaters'],
  },
};

let fake: FakeGemini | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeGeminiOptions): Promise<FakeGemini> {
  fake = await startFakeGemini(options);
  return fake;
}

interface LogEntry {
  level: 'warn' | 'debug';
  message: string;
  meta?: object;
}

/** A client of the fake that sleeps for no time and records every pause it asked for. */
function clientOf(server: FakeGemini, options: Partial<GeminiOptions> = {}) {
  const waits: number[] = [];
  const logged: LogEntry[] = [];
  const client = createGeminiClient({
    apiKey: API_KEY,
    model: 'flash',
    baseUrl: server.url,
    retryBaseMs: 5,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    log: {
      warn: (message, meta) => logged.push({ level: 'warn', message, ...(meta ? { meta } : {}) }),
      debug: (message, meta) => logged.push({ level: 'debug', message, ...(meta ? { meta } : {}) }),
    },
    ...options,
  });
  return { client, waits, logged };
}

async function failure(promise: Promise<unknown>): Promise<GeminiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GeminiError)) throw new Error(`expected a GeminiError, got ${String(error)}`);
  return error;
}

/** Replies from a list, one per request; the last one repeats. */
function scripted(...replies: FakeReply[]): () => FakeReply {
  let next = 0;
  return () => replies[Math.min(next++, replies.length - 1)] ?? { empty: true };
}

describe('Gemini client against the fake REST server', () => {
  it('asks once with Google Search and a JSON schema at the configured endpoint, and reads the usage', async () => {
    const server = await start({
      answer: () => ({
        json: THEATERS,
        usage: { prompt: 120, output: 30, tool: 410, thoughts: 55, cached: 64 },
        searchQueries: ['кінотеатри Києва', '', 'cinemas Kyiv'],
      }),
    });
    const { client } = clientOf(server);

    const result = await client.ask(theatersRequest);

    expect(JSON.parse(result.text)).toEqual(THEATERS);
    expect(result).toMatchObject({ calls: 1, fallback: false });
    expect(result.usage).toEqual({
      tokens: { prompt: 120, output: 30, tool: 410, thoughts: 55, cached: 64 },
      searchQueries: 2,
      groundedPrompts: 1,
      urlRetrievals: 0,
      urlFailures: 0,
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      model: 'gemini-3.8-flash',
      step: 'theaters',
      prompt: theatersRequest.prompt,
      hasTools: true,
      hasSchema: true,
      urlContext: false,
      apiKey: API_KEY,
    });
    expect(client.model.id).toBe('gemini-3.8-flash');
  });

  it('reads pages with URL context alone on request, on Flex when asked, and counts the pages it could not read', async () => {
    const server = await start({
      answer: () => ({
        json: THEATERS,
        urlReads: [
          { url: 'https://multiplex.ua/kyiv' },
          { url: 'https://planeta.ua/kyiv', status: 'URL_RETRIEVAL_STATUS_ERROR' },
          { url: 'https://oskar.ua', status: 'URL_RETRIEVAL_STATUS_PAYWALL' },
        ],
      }),
    });
    const { client } = clientOf(server, { model: 'gemini-3.5-flash-lite' });

    const result = await client.ask({ ...theatersRequest, search: false, urlContext: true, serviceTier: 'flex' });

    expect(server.requests[0]).toMatchObject({
      model: 'gemini-3.5-flash-lite',
      urlContext: true,
      search: false,
      hasSchema: true,
      serviceTier: 'flex',
    });
    expect(result.usage).toMatchObject({ searchQueries: 0, groundedPrompts: 0, urlRetrievals: 3, urlFailures: 2 });
  });

  it('asks a model the table knows refuses search with a schema in two calls from the start, with no 400', async () => {
    const server = await start({ retired: [], rejectToolsWithSchema: true, answer: () => ({ json: THEATERS }) });
    const { client } = clientOf(server, { model: 'gemini-2.5-flash' });

    const result = await client.ask(theatersRequest);

    expect(result).toMatchObject({ fallback: true, calls: 2 });
    expect(server.requests.map((r) => [r.hasTools, r.hasSchema])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('sends nothing and says why when no usable model was found at start-up', async () => {
    const server = await start({ answer: () => ({ json: THEATERS }) });
    const { client } = clientOf(server, {
      model: 'gemini-2.5-flash',
      unusable: 'GEMINI_MODEL=gemini-2.5-flash: retired.',
    });

    const error = await failure(client.ask(theatersRequest));

    expect(error).toMatchObject({ kind: 'bad-request', message: 'GEMINI_MODEL=gemini-2.5-flash: retired.', calls: 0 });
    expect(server.requests).toEqual([]);
  });

  it('retries a 429, waiting at least as long as the API asks (RetryInfo or Retry-After)', async () => {
    const server = await start({
      answer: scripted(
        { error: 429, retryDelaySeconds: 7 },
        { error: 429, retryAfterHeader: '2' },
        { error: 429, retryDelaySeconds: 0.25 },
        { json: THEATERS },
      ),
    });
    const { client, waits } = clientOf(server);

    const result = await client.ask(theatersRequest);

    expect(JSON.parse(result.text)).toEqual(THEATERS);
    expect(result.calls).toBe(4);
    expect(waits).toHaveLength(3);
    expect(waits[0]).toBeGreaterThanOrEqual(7_000);
    expect(waits[1]).toBeGreaterThanOrEqual(2_000);
    expect(waits[2]).toBeGreaterThanOrEqual(250);
    expect(waits[2]).toBeLessThan(1_000);
  });

  it('gives up after maxRetries on a 503 storm, backing off exponentially', async () => {
    const server = await start({ answer: () => ({ error: 503, message: 'The model is overloaded.' }) });
    const { client, waits } = clientOf(server, { maxRetries: 3 });

    const error = await failure(client.ask(theatersRequest));

    expect(error.kind).toBe('server');
    expect(error.status).toBe(503);
    expect(error.calls).toBe(4);
    expect(error.message).toMatch(/HTTP 503: The model is overloaded.*after 4 attempts/);
    expect(server.requests).toHaveLength(4);
    expect(waits).toEqual([5, 10, 20]); // base · 2^attempt · (0.5 + 0.5)
  });

  it('jitters the backoff and caps it', async () => {
    const server = await start({ answer: () => ({ error: 500 }) });
    const jitter = [0, 0.99, 0.5, 0.5];
    const { client, waits } = clientOf(server, {
      maxRetries: 4,
      retryBaseMs: 100,
      maxRetryDelayMs: 300,
      random: () => jitter.shift() ?? 0,
    });

    await failure(client.ask(theatersRequest));

    expect(waits).toEqual([50, 298, 300, 300]);
  });

  it('stops at once when the API asks for a pause longer than the retry cap', async () => {
    const server = await start({ answer: () => ({ error: 429, retryDelaySeconds: 120 }) });
    const { client, waits } = clientOf(server, { maxRetryDelayMs: 60_000 });

    const error = await failure(client.ask(theatersRequest));

    expect(error.kind).toBe('rate-limited');
    expect(error.calls).toBe(1);
    expect(error.message).toMatch(/120 s pause/);
    expect(waits).toEqual([]);
  });

  it('does not retry a per-day quota 429, but does retry a per-minute one', async () => {
    const daily = await start({
      answer: () => ({
        error: 429,
        quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
        retryDelaySeconds: 30,
      }),
    });
    const first = clientOf(daily);
    const error = await failure(first.client.ask(theatersRequest));
    expect(error.kind).toBe('daily-quota');
    expect(error.status).toBe(429);
    expect(error.calls).toBe(1);
    expect(error.message).toMatch(/GenerateRequestsPerDayPerProjectPerModel-FreeTier/);
    expect(first.waits).toEqual([]);
    await daily.close();

    const perMinute = await start({
      answer: scripted(
        { error: 429, quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', retryDelaySeconds: 3 },
        { json: THEATERS },
      ),
    });
    const second = clientOf(perMinute);
    expect((await second.client.ask(theatersRequest)).calls).toBe(2);
    expect(second.waits[0]).toBeGreaterThanOrEqual(3_000);
  });

  it('does not retry a 400 (bad-request) nor a 401/403 (auth)', async () => {
    const server = await start({
      answer: (request) =>
        request.prompt.includes('forbidden')
          ? { error: 403, message: 'Method doesn\u2019t allow unregistered callers.' }
          : { error: 400, message: 'Invalid JSON payload received.' },
    });
    const { client, waits } = clientOf(server);

    const badRequest = await failure(client.ask(theatersRequest));
    expect(badRequest).toMatchObject({ kind: 'bad-request', status: 400, calls: 1 });

    const auth = await failure(client.ask({ ...theatersRequest, prompt: `${theatersRequest.prompt} forbidden` }));
    expect(auth).toMatchObject({ kind: 'auth', status: 403, calls: 1 });
    expect(auth.message).toMatch(/GEMINI_API_KEY/);

    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([]);
  });

  it('times out a slow answer per request, retries, then reports a timeout', async () => {
    const server = await start({ answer: () => ({ json: THEATERS }), latencyMs: 400 });
    const { client, waits } = clientOf(server, { timeoutMs: 60, maxRetries: 1 });

    const started = performance.now();
    const error = await failure(client.ask(theatersRequest));

    expect(error.kind).toBe('timeout');
    expect(error.calls).toBe(2);
    expect(waits).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(400);
    expect(server.requests).toHaveLength(2);

    server.setLatency(0);
    expect((await client.ask(theatersRequest)).calls).toBe(1);
  });

  it('reports a network error when nothing listens at the endpoint', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = createGeminiClient({
      apiKey: API_KEY,
      model: 'flash',
      baseUrl: `http://127.0.0.1:${port}`,
      maxRetries: 2,
      sleep: async () => {},
    });

    const error = await failure(client.ask(theatersRequest));

    expect(error.kind).toBe('network');
    expect(error.calls).toBe(3);
    expect(error.message).toMatch(/ECONNREFUSED.*GEMINI_BASE_URL/);
  });

  it('reports an answer without text as empty, keeping its usage', async () => {
    const server = await start({ answer: () => ({ empty: true }) });
    const { client, waits } = clientOf(server);

    const error = await failure(client.ask(theatersRequest));

    expect(error.kind).toBe('empty');
    expect(error.calls).toBe(1);
    expect(error.message).toMatch(/SAFETY/);
    // The blocked answer reports only promptTokenCount; the other counts are zero.
    expect(error.usage.tokens).toEqual({
      prompt: Math.ceil(theatersRequest.prompt.length / 4),
      output: 0,
      tool: 0,
      thoughts: 0,
      cached: 0,
    });
    expect(waits).toEqual([]);
  });

  it('falls back to two calls when a model said to take tools with a schema refuses them, and remembers it', async () => {
    const server = await start({
      rejectToolsWithSchema: true,
      answer: () => ({ json: THEATERS, usage: { prompt: 100, output: 10, thoughts: 5 } }),
    });
    const { client, logged } = clientOf(server);

    const first = await client.ask(theatersRequest);

    expect(first.fallback).toBe(true);
    expect(JSON.parse(first.text)).toEqual(THEATERS);
    expect(first.calls).toBe(3); // the refused call, the grounded call, the formatting call
    expect(first.usage.tokens).toEqual({ prompt: 200, output: 20, tool: 400, thoughts: 10, cached: 0 });
    expect(first.usage.searchQueries).toBe(1); // the grounded call's
    expect(server.requests.map((r) => [r.hasTools, r.hasSchema])).toEqual([
      [true, true],
      [true, false],
      [false, true],
    ]);
    const [, grounded, formatting] = server.requests;
    expect(grounded?.prompt).toBe(theatersRequest.prompt);
    expect(grounded?.step).toBe('theaters');
    expect(formatting?.prompt.startsWith(theatersRequest.prompt)).toBe(true);
    expect(formatting?.prompt).toContain('Multiplex Lavina');
    expect(formatting?.prompt).toMatch(/Return only the JSON object/);
    expect(logged.some((entry) => entry.level === 'warn' && /two calls/.test(entry.message))).toBe(true);

    const second = await client.ask(theatersRequest);

    expect(second).toMatchObject({ fallback: true, calls: 2 });
    expect(server.requests.slice(3).map((r) => [r.hasTools, r.hasSchema])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('keeps the usage of a fallback whose second call fails', async () => {
    const server = await start({
      rejectToolsWithSchema: true,
      answer: (request) => (request.hasSchema ? { error: 503 } : { json: THEATERS, usage: { prompt: 50, output: 8 } }),
    });
    const { client } = clientOf(server, { maxRetries: 1 });

    const error = await failure(client.ask(theatersRequest));

    expect(error.kind).toBe('server');
    expect(error.calls).toBe(4); // refused, grounded, formatting twice
    expect(error.usage.tokens).toEqual({ prompt: 50, output: 8, tool: 400, thoughts: 200, cached: 0 });
  });

  it('sends the API key but never puts it in errors or logs', async () => {
    const server = await start({
      answer: scripted(
        { error: 500, message: `Internal error for key ${API_KEY}` },
        {
          error: 400,
          message: `API key not valid: ${API_KEY}`,
        },
      ),
    });
    const { client, logged } = clientOf(server);

    const error = await failure(client.ask(theatersRequest));

    expect(server.requests.every((request) => request.apiKey === API_KEY)).toBe(true);
    expect(error.kind).toBe('bad-request');
    expect(error.message).toContain('[REDACTED]');
    expect(error.message).not.toContain(API_KEY);
    expect(String(error.stack)).not.toContain(API_KEY);
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).not.toContain(API_KEY);
  });

  it('refuses to start without an API key or with a malformed model name', () => {
    expect(() => createGeminiClient({ apiKey: '', model: 'flash' })).toThrow(/GEMINI_API_KEY is not set/);
    expect(() => createGeminiClient({ apiKey: API_KEY, model: 'Flash 2.5' })).toThrow(/GEMINI_MODEL must be/);
  });
});
