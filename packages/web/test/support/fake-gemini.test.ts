import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGemini, type FakeRequest, startFakeGemini } from './fake-gemini.ts';

let fake: FakeGemini | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The parts of generateContent answers these tests read. */
interface Answer {
  candidates: { content: { parts: { text: string }[] } }[];
  usageMetadata: Record<string, number>;
  error: { code: number; status: string; details: { '@type': string; violations?: { quotaId: string }[] }[] };
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${fake?.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

const showtimesPrompt = [
  'Find the showtimes of one movie in Lviv.',
  'Movie: Dune: Part Three',
  'Day: 2026-11-25 (and not 2026-11-26)',
  'Answer like {"showtimes": [{"theater": "…"}]}; theaters come from {"theaters": …}.',
].join('\n');

describe('fake Gemini server', () => {
  it('reads snake_case requests on /v1 too: step from the prompt, movie, day and the key from ?key=', async () => {
    const seen: FakeRequest[] = [];
    fake = await startFakeGemini({
      answer: (request) => {
        seen.push(request);
        return { json: { showtimes: [] } };
      },
    });

    const { status, body } = await post('/v1/models/gemini-x:generateContent?key=k1', {
      contents: [{ role: 'user', parts: [{ text: showtimesPrompt }] }],
      tools: [{ google_search: {} }, { url_context: {} }],
    });

    expect(status).toBe(200);
    expect(seen[0]).toEqual(fake.requests[0]);
    expect(fake.requests[0]).toEqual({
      model: 'gemini-x',
      step: 'showtimes',
      prompt: showtimesPrompt,
      hasTools: true,
      hasSchema: false,
      search: true,
      urlContext: true,
      movie: 'Dune: Part Three',
      day: '2026-11-25',
      apiKey: 'k1',
    });
    const text = body.candidates[0]?.content.parts[0]?.text ?? '';
    expect(text).toMatch(/```json\n\{\n {2}"showtimes": \[\]\n\}\n```/);
    expect(body.usageMetadata).toEqual({
      promptTokenCount: Math.ceil(showtimesPrompt.length / 4),
      candidatesTokenCount: Math.ceil(text.length / 4),
      toolUsePromptTokenCount: 400,
      thoughtsTokenCount: 200,
      totalTokenCount: Math.ceil(showtimesPrompt.length / 4) + Math.ceil(text.length / 4) + 600,
    });
  });

  it('answers errors in Google\u2019s shape with RetryInfo, QuotaFailure and Retry-After', async () => {
    fake = await startFakeGemini({
      answer: () => ({ error: 429, retryDelaySeconds: 0.5, quotaId: 'PerDayQuota', retryAfterHeader: '9' }),
    });
    const response = await fetch(`${fake.url}/v1beta/models/m:generateContent`, { method: 'POST', body: '{}' });
    const body = (await response.json()) as Answer;

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('9');
    expect(body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(body.error.details).toEqual([
      expect.objectContaining({ '@type': 'type.googleapis.com/google.rpc.QuotaFailure' }),
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.5s' },
    ]);
    expect(body.error.details[0]?.violations?.[0]?.quotaId).toBe('PerDayQuota');
  });

  it('reports search queries and URL-context reads, each as the reply says or by default', async () => {
    const prompt = 'Read https://kino.example/schedule and https://other.example/a for {"showtimes": …}.';
    fake = await startFakeGemini({
      answer: (request) =>
        request.prompt.includes('twice')
          ? {
              json: { showtimes: [] },
              searchQueries: ['a', ''],
              urlReads: [{ url: 'https://kino.example/x', status: 'URL_RETRIEVAL_STATUS_ERROR' }],
            }
          : { json: { showtimes: [] } },
    });
    const ask = async (text: string) => {
      const { body } = await post('/v1beta/models/m:generateContent', {
        contents: [{ parts: [{ text }] }],
        tools: [{ googleSearch: {} }, { urlContext: {} }],
      });
      return (body as unknown as { candidates: Record<string, unknown>[] }).candidates[0];
    };

    expect(await ask(prompt)).toMatchObject({
      groundingMetadata: { webSearchQueries: ['showtimes'] },
      urlContextMetadata: {
        urlMetadata: [
          { retrievedUrl: 'https://kino.example/schedule', urlRetrievalStatus: 'URL_RETRIEVAL_STATUS_SUCCESS' },
          { retrievedUrl: 'https://other.example/a', urlRetrievalStatus: 'URL_RETRIEVAL_STATUS_SUCCESS' },
        ],
      },
    });
    expect(await ask(`${prompt} twice`)).toMatchObject({
      groundingMetadata: { webSearchQueries: ['a', ''] },
      urlContextMetadata: {
        urlMetadata: [{ retrievedUrl: 'https://kino.example/x', urlRetrievalStatus: 'URL_RETRIEVAL_STATUS_ERROR' }],
      },
    });
  });

  it('bills each page read as tool-use tokens, failed reads not', async () => {
    fake = await startFakeGemini({
      pageTokens: 1000,
      answer: () => ({
        json: {},
        urlReads: [{ url: 'https://a.example' }, { url: 'https://b.example', status: 'URL_RETRIEVAL_STATUS_ERROR' }],
      }),
    });
    const { body } = await post('/v1beta/models/m:generateContent', {
      contents: [{ parts: [{ text: '{"showtimes": …}' }] }],
      tools: [{ urlContext: {} }],
    });
    expect(body.usageMetadata.toolUsePromptTokenCount).toBe(400 + 1000);
  });

  it('lists its models page by page, and answers 404 for a retired one', async () => {
    fake = await startFakeGemini({ answer: () => ({ json: {} }), models: ['gemini-a', 'gemini-b', 'gemini-c'] });
    const first = await (await fetch(`${fake.url}/v1beta/models?pageSize=2`)).json();
    expect(first).toMatchObject({
      models: [
        { name: 'models/gemini-a', supportedGenerationMethods: ['generateContent', 'countTokens'] },
        { name: 'models/gemini-b' },
      ],
      nextPageToken: '2',
    });
    const second = await (await fetch(`${fake.url}/v1beta/models?pageSize=2&pageToken=2`)).json();
    expect(second).toEqual({ models: [expect.objectContaining({ name: 'models/gemini-c' })] });

    const retired = await post('/v1beta/models/gemini-2.5-flash:generateContent', { contents: [] });
    expect(retired.status).toBe(404);
    expect(retired.body.error.status).toBe('NOT_FOUND');
  });

  it('answers 404 for other routes', async () => {
    fake = await startFakeGemini({ answer: () => ({ json: {} }) });
    expect((await post('/v1beta/models/m:streamGenerateContent', {})).status).toBe(404);
    expect(fake.requests).toEqual([]);
  });
});
