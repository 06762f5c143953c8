import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { todayIn } from '../src/domain/time.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { get, json } from './support/app.ts';
import { fakeCity } from './support/fake-city.ts';
import { type FakeGemini, startFakeGemini } from './support/fake-gemini.ts';
import { freePort } from './support/ports.ts';
import { startScrapeApp } from './support/scrape-app.ts';

const serverFile = resolve(import.meta.dirname, '../src/server.ts');
const MOVIES = 4;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A worker process of the site, live scraping against the fake, on a shared data directory. */
async function startWorker(dataDir: string, fake: FakeGemini): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [serverFile], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DATA_DIR: dataDir,
      GEMINI_API_KEY: 'test-api-key',
      GEMINI_BASE_URL: fake.url,
      GEMINI_CONCURRENCY: '2',
      // Per film per day: the questions these tests count name a film and a day.
      GEMINI_GRANULARITY: 'movie-day',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanups.push(() => {
    child.kill('SIGKILL');
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, child };
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error('the worker did not start');
}

async function waitFor(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

async function setUpCity(latencyMs: number) {
  const city = fakeCity({ theaters: 3, movies: MOVIES });
  const fake = await startFakeGemini({ answer: city.answer, latencyMs });
  cleanups.push(() => fake.close());
  const dataDir = mkdtempSync(join(tmpdir(), 'cinestream-scrape-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  return { city, fake, dataDir };
}

const showtimeQuestions = (fake: FakeGemini) =>
  fake.requests.filter((r) => r.step === 'showtimes').map((r) => `${r.movie}|${r.day}`);

describe('scraping across worker processes', () => {
  it('runs exactly one scrape when 12 requests for a city reach 3 workers at once', async () => {
    const { fake, dataDir } = await setUpCity(20);
    const workers = await Promise.all([1, 2, 3].map(() => startWorker(dataDir, fake)));
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        get(`${workers[index % 3]?.url}/api/cities/kyiv/showtimes`).then((r) => r.status),
      ),
    );
    expect(answers).toEqual(Array(12).fill(200));
    await waitFor(
      async () => (await json(await get(`${workers[0]?.url}/api/cities/kyiv/status`))).status === 'idle',
      'the scrape to finish',
    );
    expect(fake.requests.filter((r) => r.step === 'theaters')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.step === 'movies')).toHaveLength(1);
    const questions = showtimeQuestions(fake);
    expect(questions).toHaveLength(MOVIES * 14);
    expect(new Set(questions).size).toBe(MOVIES * 14);
  }, 60_000);

  it('resumes after a worker dies mid-scrape, asking only for what is missing and storing nothing twice', async () => {
    const { city, fake, dataDir } = await setUpCity(40);
    const worker = await startWorker(dataDir, fake);
    await get(`${worker.url}/api/cities/kyiv/showtimes`);
    await waitFor(() => showtimeQuestions(fake).length >= 12, 'part of the scrape');
    worker.child.kill('SIGKILL');
    await new Promise((done) => worker.child.once('exit', done));

    const store = openSqliteStore(join(dataDir, 'cinestream.db'));
    cleanups.push(() => store.close());
    const left = await store.getLocation('kyiv');
    expect(left?.status).toBe('scraping');
    const coveredAtCrash = new Set(left?.coveredDays);
    expect(coveredAtCrash.size).toBeGreaterThan(0);
    expect(coveredAtCrash.size).toBeLessThan(14);
    const askedBefore = fake.requests.length;
    // What was answered before the crash: every film of a completed day, the noted films of a day under way.
    const answeredAtCrash = (await store.cityDays('kyiv')).reduce(
      (sum, record) => sum + (record.fetchedAt ? MOVIES : (record.pending?.answered.length ?? 0)),
      0,
    );
    expect(answeredAtCrash).toBeGreaterThanOrEqual(MOVIES * coveredAtCrash.size);

    // Another worker, two minutes later: the dead worker's lock has expired.
    const later = () => new Date(Date.now() + 120_000);
    fake.setLatency(0);
    const app = await startScrapeApp({ fake, clock: later, dbFile: join(dataDir, 'cinestream.db') });
    cleanups.push(() => app.close());
    await get(`${app.url}/api/cities/kyiv/showtimes`);
    await app.showtimes.idle();

    const resumed = fake.requests.slice(askedBefore);
    expect(resumed.filter((r) => r.step === 'theaters')).toHaveLength(0);
    expect(resumed.filter((r) => r.step === 'showtimes').every((r) => !coveredAtCrash.has(r.day ?? ''))).toBe(true);
    // Only the film-days not answered before the crash are asked, none twice.
    const resumedQuestions = resumed.filter((r) => r.step === 'showtimes').map((r) => `${r.movie}|${r.day}`);
    expect(resumedQuestions).toHaveLength(MOVIES * 14 - answeredAtCrash);
    expect(new Set(resumedQuestions).size).toBe(resumedQuestions.length);
    const kyiv = await app.store.getLocation('kyiv');
    expect(kyiv?.status).toBe('idle');
    expect(kyiv?.coveredDays).toHaveLength(14);

    const today = todayIn('Europe/Kyiv', later());
    const days = kyiv?.coveredDays ?? [];
    const movies = await app.store.moviesFor('kyiv', { from: today, to: days.at(-1) ?? today }, later());
    const stored = movies.flatMap((movie) =>
      movie.theaters.flatMap((theater) =>
        theater.showtimes.map((s) => `${movie.key}|${theater.theaterKey}|${s.startsAt}`),
      ),
    );
    expect(new Set(stored).size).toBe(stored.length);
    const expected = city.movies.reduce((sum, _movie, index) => sum + city.showtimes(index, days).length, 0);
    expect(stored).toHaveLength(expected);
  }, 60_000);
});
