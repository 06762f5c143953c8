import type { Granularity } from '../../src/domain/planner.ts';
import { createLogger } from '../../src/log.ts';
import { TokenBudget } from '../../src/scrape/budget.ts';
import { createGeminiClient } from '../../src/scrape/gemini.ts';
import { geminiSource } from '../../src/scrape/pipeline.ts';
import { RateLimiter } from '../../src/scrape/rate-limit.ts';
import type { PageFetcher } from '../../src/scrape/web/fetcher.ts';
import type { Store } from '../../src/store/store.ts';
import { startTestApp, type TestApp } from './app.ts';
import type { FakeGemini } from './fake-gemini.ts';

export interface ScrapeAppOptions {
  fake: FakeGemini;
  clock: () => Date;
  dbFile?: string;
  concurrency?: number;
  granularity?: Granularity;
  flexRefreshes?: boolean;
  dailyTokenBudget?: number;
  dailyBudgetUsd?: number;
  scrapesPerIpPerHour?: number;
  /** Reads the cinemas' schedule pages itself (SCHEDULE_PAGES=on), through this fetcher. */
  pages?: PageFetcher;
  /** GEMINI_PAGE_MODEL: page text is read by this model; by the main one when absent. */
  pageModel?: string;
}

/** The real app with the Gemini pipeline pointed at a fake Gemini server, quick retries, and the cost guard. */
export function startScrapeApp(options: ScrapeAppOptions): Promise<TestApp> {
  const log = createLogger({ env: 'test', level: 'error' });
  const clientOf = (model: string) =>
    createGeminiClient({
      apiKey: 'test-api-key',
      model,
      baseUrl: options.fake.url,
      timeoutMs: 5_000,
      maxRetries: 3,
      retryBaseMs: 5,
    });
  const client = clientOf('flash');
  const pageClient = options.pageModel ? clientOf(options.pageModel) : undefined;
  const budgetFor = (store: Store) =>
    new TokenBudget(store, options.dailyTokenBudget ?? 10_000_000, options.clock, options.dailyBudgetUsd ?? 1_000);
  return startTestApp({
    now: options.clock,
    dbFile: options.dbFile,
    source: (store, clock) =>
      geminiSource({
        store,
        client,
        budget: budgetFor(store),
        clock,
        log,
        concurrency: options.concurrency ?? 4,
        granularity: options.granularity ?? 'movie-day',
        flexRefreshes: options.flexRefreshes ?? false,
        ...(options.pages ? { pages: options.pages } : {}),
        ...(pageClient ? { pageClient } : {}),
      }),
    guard: (store, clock) => ({
      budget: budgetFor(store),
      perVisitor: new RateLimiter({ limit: options.scrapesPerIpPerHour ?? 100, windowMs: 3_600_000, clock }),
      retryAfterMs: 15 * 60_000,
    }),
  });
}
