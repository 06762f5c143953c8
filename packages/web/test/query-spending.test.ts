import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './support/app.ts';
import { get, json } from './support/app.ts';
import { fakeCity } from './support/fake-city.ts';
import { type FakeGemini, startFakeGemini } from './support/fake-gemini.ts';
import { startScrapeApp } from './support/scrape-app.ts';

const NOW = new Date('2026-11-24T10:00:00+02:00');
const junk = Array.from({ length: 1000 }, (_, i) => `junk${i}=1`).join('&');

/** Requests that must be refused or answered from what is stored, with Gemini behind the app and nothing stored. */
describe('requests that must spend nothing', () => {
  let fake: FakeGemini;
  let app: TestApp;
  beforeAll(async () => {
    const city = fakeCity({ theaters: 2, movies: 2 });
    fake = await startFakeGemini({ answer: (request) => city.answer(request) });
    app = await startScrapeApp({ fake, clock: () => new Date(NOW) });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  async function expectNothingSpent(): Promise<void> {
    await app.showtimes.idle();
    expect(fake.requests).toHaveLength(0);
    expect((await app.store.getLocation('kyiv'))?.status).toBe('idle');
  }

  it.each([
    ['/api/cities/kyiv/showtimes?from[]=2026-11-24', 'bad_parameter'],
    ['/api/cities/kyiv/showtimes?to[0]=2026-11-24', 'bad_parameter'],
    ['/api/cities/kyiv/showtimes?from[a][b]=2026-11-24', 'bad_parameter'],
    ['/api/cities/kyiv/showtimes?from%5B%5D=2026-11-24', 'bad_parameter'],
    ['/api/cities/kyiv/showtimes?from.x=2026-11-24', 'bad_parameter'],
    ['/api/cities/kyiv/showtimes?from=2026-11-24&from=2026-11-25', 'bad_date'],
    [`/api/cities/kyiv/showtimes?${junk}&from=x`, 'too_many_parameters'],
    ['/api/cities/kyiv/status?x[]=1&'.padEnd(600, 'y=1&'), 'too_many_parameters'],
  ])('refuses %s with a 400 %s', async (path, code) => {
    const response = await get(`${app.url}${path}`, { 'accept-language': 'en' });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toMatch(/\n|at .*\.ts/);
    await expectNothingSpent();
  });

  it.each([
    '/en/city/kyiv?date[]=2026-11-24',
    '/en/city/kyiv?format[]=IMAX',
    '/en/city/kyiv?theater[x]=a',
    '/en/city/kyiv?format=IMAX&format=3D',
    `/en/city/kyiv?${junk}&date=x`,
    `/en/city/kyiv?date=${'9'.repeat(8000)}`,
    `/en/?${junk}`,
  ])('refuses the page %s with a 400', async (path) => {
    const response = await get(`${app.url}${path}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<html lang="en">');
    await expectNothingSpent();
  });

  it('ignores unknown parameters such as utm_source', async () => {
    const response = await fetch(`${app.url}/api/cities/kyiv/showtimes?from=x&utm_source=mail`);
    expect((await json(response)).error.code).toBe('bad_date');
    await expectNothingSpent();
  });

  it.each([
    ['/en/city/kyiv/cinema/nowhere', 'cinema'],
    ['/en/city/kyiv/film/no-such-film', 'film'],
  ])('answers %s, a %s not stored, with a 404 and starts no fetch', async (path) => {
    const response = await get(`${app.url}${path}`);
    expect(response.status).toBe(404);
    await response.text();
    await expectNothingSpent();
  });

  it('answers HEAD like GET without starting a fetch, page and API alike', async () => {
    for (const path of ['/en/city/kyiv', '/api/cities/kyiv/showtimes']) {
      const response = await fetch(`${app.url}${path}`, { method: 'HEAD' });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('etag'), path).toBeTruthy();
    }
    await expectNothingSpent();
    await get(`${app.url}/api/cities/kyiv/showtimes`);
    await app.showtimes.idle();
    expect(fake.requests.length).toBeGreaterThan(0);
  });
});
