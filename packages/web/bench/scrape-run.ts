// One granularity of the scraping benchmark: the real pipeline, store and Showtimes against the fake Gemini,
// a full 14-day scrape started by a request (then scrape-month.ts: four weeks of one visit a day).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config.ts';
import { seedCatalog } from '../src/domain/cities.ts';
import type { Day, ScrapeRun, TokenCounts } from '../src/domain/model.ts';
import { type Granularity, HORIZON_DAYS } from '../src/domain/planner.ts';
import { Showtimes } from '../src/domain/showtimes.ts';
import { addDays, todayIn } from '../src/domain/time.ts';
import { createLogger } from '../src/log.ts';
import { totalTokens } from '../src/scrape/budget.ts';
import { liveScraping } from '../src/scrape/live.ts';
import type { PageFetcher } from '../src/scrape/web/fetcher.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/store.ts';
import type { FakeCity } from '../test/support/fake-city.ts';
import type { FakeGemini, FakeReply } from '../test/support/fake-gemini.ts';
import { type MonthFigures, simulateMonth } from './scrape-month.ts';

const CITY = 'kyiv';
const POLL_MS = 50;
const MODEL = 'flash';
/** Tuesday 10:00 in Kyiv: every showing of the day is still ahead; published through Wednesday 12-02. */
const START = Date.parse('2026-11-24T08:00:00Z');

export interface ScrapeFigures {
  /** HTTP requests the fake Gemini received. */
  queries: number;
  /** Queries the run recorded in scrape_runs. */
  recordedQueries: number;
  /** Google Search queries the run recorded (non-empty webSearchQueries). */
  searchQueries: number;
  tokens: TokenCounts;
  totalTokens: number;
  /** Tokens plus searches at the model's list price. */
  costUsd?: number;
  /** From the request until the scrape ended. */
  wallMs: number;
  /** The run's own duration as recorded. */
  recordedMs: number;
  status: ScrapeRun['status'];
  requestedDays: number;
}

export interface FullScrapeFigures extends ScrapeFigures {
  /** From the request until a movie could be read from the store; null when none ever was. */
  firstMovieMs: number | null;
  /** From the request until the first day was covered in full. */
  firstDayMs: number | null;
  coveredDays: number;
  moviesVisible: number;
  showtimesStored: number;
  /** Showings in the fake Gemini's answers to the scrape's step-3 questions. */
  showtimesAnswered: number;
}

export interface GranularityResult {
  granularity: Granularity;
  concurrency: number;
  full: FullScrapeFigures;
  month: MonthFigures;
}

export interface BenchOptions {
  fake: FakeGemini;
  city: FakeCity;
  granularity: Granularity;
  /** GEMINI_CONCURRENCY; the config default when absent. */
  concurrency?: number;
  /** The clock the fake city publishes by. */
  setCityClock(clock: () => Date): void;
}

/** A clock that runs in real time from START, and can be moved forward. */
export function benchClock() {
  const origin = Date.now();
  let shiftMs = 0;
  return {
    now: () => new Date(START + shiftMs + (Date.now() - origin)),
    advance(ms: number) {
      shiftMs += ms;
    },
  };
}

/** The site's parts as server.ts wires them, on a throwaway SQLite store, asking the fake Gemini. */
export async function openBenchSite(
  fake: FakeGemini,
  granularity: Granularity,
  clock: () => Date,
  concurrency?: number,
  pages?: PageFetcher,
): Promise<{ store: Store; showtimes: Showtimes; concurrency: number; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cinestream-bench-scrape-'));
  const store = openSqliteStore(join(dir, 'cinestream.db'));
  await store.init();
  await seedCatalog(store);
  const config = loadConfig({
    NODE_ENV: 'test',
    GEMINI_API_KEY: 'bench-key',
    GEMINI_BASE_URL: fake.url,
    GEMINI_MODEL: MODEL,
    GEMINI_GRANULARITY: granularity,
    GEMINI_DAILY_BUDGET_USD: '100000',
    GEMINI_DAILY_TOKEN_BUDGET: '1000000000000',
    // The made-up cinemas' hosts resolve nowhere: their pages are read only through a fetcher given here.
    SCHEDULE_PAGES: pages ? 'on' : 'off',
    ...(concurrency !== undefined ? { GEMINI_CONCURRENCY: String(concurrency) } : {}),
  });
  const log = createLogger({ env: 'development', level: 'error' });
  const { source, guard } = await liveScraping(
    { ...config.gemini, apiKey: 'bench-key' },
    { store, clock, log, ...(pages ? { pages } : {}) },
  );
  const showtimes = new Showtimes({
    store,
    source,
    clock,
    log,
    cacheMaxEntries: 100,
    guard,
    freshness: config.freshness,
  });
  return {
    store,
    showtimes,
    concurrency: config.gemini.concurrency,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function benchGranularity(options: BenchOptions): Promise<GranularityResult> {
  const clock = benchClock();
  options.setCityClock(clock.now);
  const site = await openBenchSite(options.fake, options.granularity, clock.now, options.concurrency);
  let full: FullScrapeFigures;
  try {
    full = await fullScrape(options, site.store, site.showtimes, clock.now, todayIn('Europe/Kyiv', clock.now()));
  } finally {
    await site.close();
  }
  const month = await simulateMonth({ ...options, start: START });
  return { granularity: options.granularity, concurrency: site.concurrency, full, month };
}

async function fullScrape(
  options: BenchOptions,
  store: Store,
  showtimes: Showtimes,
  now: () => Date,
  today: Day,
): Promise<FullScrapeFigures> {
  const range = { from: today, to: addDays(today, HORIZON_DAYS - 1) };
  const firstRequest = options.fake.requests.length;
  const startedAt = performance.now();
  let finished = false;
  const seen = { firstMovieMs: null as number | null, firstDayMs: null as number | null };
  const watching = (async () => {
    while (seen.firstMovieMs === null || seen.firstDayMs === null) {
      const done = finished;
      const elapsed = performance.now() - startedAt;
      if (seen.firstMovieMs === null && (await store.moviesFor(CITY, range, now())).length > 0) {
        seen.firstMovieMs = elapsed;
      }
      if (seen.firstDayMs === null && (await store.getLocation(CITY))?.coveredDays.includes(today)) {
        seen.firstDayMs = elapsed;
      }
      if (done) break;
      await sleep(POLL_MS);
    }
  })();
  const figures = await scrape(options, store, showtimes, today, startedAt);
  finished = true;
  await watching;

  const movies = await store.moviesFor(CITY, range, now());
  return {
    ...figures,
    ...seen,
    coveredDays: (await store.getLocation(CITY))?.coveredDays.length ?? 0,
    moviesVisible: movies.length,
    showtimesStored: movies.reduce(
      (sum, movie) => sum + movie.theaters.reduce((count, theater) => count + theater.showtimes.length, 0),
      0,
    ),
    showtimesAnswered: options.fake.requests
      .slice(firstRequest)
      .filter((request) => request.step === 'showtimes')
      .reduce((sum, request) => sum + showingsIn(options.city.answer(request)), 0),
  };
}

function showingsIn(reply: FakeReply): number {
  const showtimes = 'json' in reply ? (reply.json as { showtimes?: unknown }).showtimes : undefined;
  return Array.isArray(showtimes) ? showtimes.length : 0;
}

/** Asks for the city's showtimes of `today` as a visitor would, and waits for the scrape it starts. */
export async function scrape(
  options: BenchOptions,
  store: Store,
  showtimes: Showtimes,
  today: Day,
  startedAt = performance.now(),
): Promise<ScrapeFigures> {
  const requestsBefore = options.fake.requests.length;
  const runsBefore = (await store.scrapeRuns(CITY, 1))[0]?.id;
  await showtimes.forCity(CITY, today, today);
  await showtimes.idle();
  const wallMs = performance.now() - startedAt;
  const run = (await store.scrapeRuns(CITY, 1))[0];
  if (!run || run.id === runsBefore) throw new Error(`the request for ${today} started no scrape`);
  const cost = run.costUsd;
  return {
    queries: options.fake.requests.length - requestsBefore,
    recordedQueries: run.queries,
    searchQueries: run.searchQueries ?? 0,
    tokens: run.tokens,
    totalTokens: totalTokens(run.tokens),
    ...(cost !== undefined ? { costUsd: cost } : {}),
    wallMs,
    recordedMs: run.durationMs,
    status: run.status,
    requestedDays: run.requestedDays.length,
  };
}
