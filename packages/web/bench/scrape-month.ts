// Four simulated weeks of one visit a day, on a virtual clock (the fake answers at once): what a month of
// keeping the city fresh costs, and how long a published day stays empty or today's showtimes get old.
import { type Granularity, HORIZON_DAYS } from '../src/domain/planner.ts';
import { addDays, todayIn } from '../src/domain/time.ts';
import { publishedThrough } from '../test/support/fake-city.ts';
import type { FakeGemini } from '../test/support/fake-gemini.ts';
import { openBenchSite } from './scrape-run.ts';

const CITY = 'kyiv';
const ZONE = 'Europe/Kyiv';
const HOUR_MS = 3_600_000;
const DAYS = 28;

export interface MonthFigures {
  visits: number;
  calls: number;
  searchQueries: number;
  totalTokens: number;
  /** Tokens plus searches at the default model's list price, the first visit's full fetch included. */
  costUsd: number;
  /** The longest a day the cinemas had published stayed without showtimes on the site, sampled hourly. */
  longestEmptyMs: number;
  /** The oldest today's showtimes ever were (since their last full fetch), sampled hourly. */
  oldestTodayMs: number;
}

export async function simulateMonth(options: {
  fake: FakeGemini;
  granularity: Granularity;
  concurrency?: number;
  setCityClock(clock: () => Date): void;
  /** The first visit, then one a day at the same time. */
  start: number;
}): Promise<MonthFigures> {
  let now = options.start;
  const clock = () => new Date(now);
  options.setCityClock(clock);
  const site = await openBenchSite(options.fake, options.granularity, clock, options.concurrency);
  const latency = options.fake;
  latency.setLatency(0);
  const emptySince = new Map<string, number>();
  let longestEmptyMs = 0;
  let oldestTodayMs = 0;

  /** One hourly look at the site: which published days are empty, and how old today is. */
  async function sample(): Promise<void> {
    const today = todayIn(ZONE, clock());
    const last = addDays(today, HORIZON_DAYS - 1);
    const movies = await site.store.moviesFor(CITY, { from: today, to: last }, clock());
    const shown = new Set(movies.flatMap((movie) => movie.days));
    const published = publishedThrough(clock());
    for (let offset = 0; offset < HORIZON_DAYS; offset++) {
      const day = addDays(today, offset);
      const empty = day <= published && !shown.has(day);
      const since = emptySince.get(day);
      if (empty && since === undefined) emptySince.set(day, now);
      if (since !== undefined) longestEmptyMs = Math.max(longestEmptyMs, now - since);
      if (!empty) emptySince.delete(day);
    }
    const record = (await site.store.cityDays(CITY)).find((entry) => entry.day === today);
    if (record?.fetchedAt) oldestTodayMs = Math.max(oldestTodayMs, now - Date.parse(record.fetchedAt));
  }

  try {
    const callsBefore = options.fake.requests.length;
    for (let visit = 0; visit < DAYS; visit++) {
      now = options.start + visit * 24 * HOUR_MS;
      const today = todayIn(ZONE, clock());
      await site.showtimes.forCity(CITY, today, today);
      await site.showtimes.idle();
      for (let hour = 0; hour < 24; hour++) {
        now = options.start + visit * 24 * HOUR_MS + hour * HOUR_MS;
        await sample();
      }
    }
    const runs = await site.store.scrapeRunsSince(new Date(options.start));
    return {
      visits: DAYS,
      calls: options.fake.requests.length - callsBefore,
      searchQueries: runs.reduce((sum, run) => sum + (run.searchQueries ?? 0), 0),
      totalTokens: runs.reduce(
        (sum, run) => sum + run.tokens.prompt + run.tokens.output + run.tokens.tool + run.tokens.thoughts,
        0,
      ),
      costUsd: runs.reduce((sum, run) => sum + (run.costUsd ?? 0), 0),
      longestEmptyMs,
      oldestTodayMs,
    };
  } finally {
    await site.close();
  }
}
