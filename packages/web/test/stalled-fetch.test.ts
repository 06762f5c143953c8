import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STALLED_AFTER_MS } from '../src/scrape/lock.ts';
import type { TestApp } from './support/app.ts';
import { get, json } from './support/app.ts';
import { fakeCity } from './support/fake-city.ts';
import { type FakeGemini, startFakeGemini } from './support/fake-gemini.ts';
import { startScrapeApp } from './support/scrape-app.ts';

const START = new Date('2026-11-24T10:00:00+02:00');
let now = new Date(START);
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

/** A city left `scraping` by a worker that died: its lock is still held, its heartbeat goes quiet. */
describe('a fetch whose worker died', () => {
  let fake: FakeGemini;
  let app: TestApp;
  beforeAll(async () => {
    const city = fakeCity({ theaters: 2, movies: 2 });
    fake = await startFakeGemini({ answer: (request) => city.answer(request) });
    app = await startScrapeApp({ fake, clock: () => new Date(now) });
    await app.store.acquireLock('scrape:kyiv', 'dead-worker', 90_000, now);
    await app.store.updateLocation('kyiv', { status: 'scraping', progress: { done: 3, total: 58 } });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const status = async () => (await json(await get(`${app.url}/api/cities/kyiv/status`))).status;
  const page = async (lang: string) => (await get(`${app.url}/${lang}/city/kyiv`)).text();

  it('shows the count while the heartbeat is fresh', async () => {
    await app.store.updateLocation('kyiv', { heartbeatAt: ago(STALLED_AFTER_MS - 1000) });
    expect(await status()).toBe('scraping');
    expect(await page('en')).toContain('Updating showtimes: 3 of 58.');
  });

  it('says the fetch stalled and is resuming once the heartbeat is old, in every language', async () => {
    await app.store.updateLocation('kyiv', { heartbeatAt: ago(STALLED_AFTER_MS) });
    expect(await status()).toBe('stalled');
    const cities = (await json(await get(`${app.url}/api/cities`))).cities;
    expect(cities.find((city: { slug: string }) => city.slug === 'kyiv').status).toBe('stalled');
    const api = await json(await get(`${app.url}/api/cities/kyiv/showtimes`));
    expect(api.status).toBe('stalled');
    const en = await page('en');
    expect(en).toContain('Updating showtimes stalled and is resuming.');
    expect(en).not.toContain('3 of 58');
    expect(en).toContain('<meta http-equiv="refresh" content="5">');
    expect(await page('uk')).toContain('Оновлення розкладу зупинилося і зараз продовжиться.');
    expect(await page('ru')).toContain('Обновление расписания остановилось и сейчас продолжится.');
    await app.showtimes.idle();
    expect(fake.requests).toHaveLength(0);
  });

  it('resumes on the next visit once the dead worker’s lock has expired', async () => {
    now = new Date(now.getTime() + 91_000);
    await get(`${app.url}/api/cities/kyiv/showtimes`);
    await app.showtimes.idle();
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(await status()).toBe('idle');
  });
});
