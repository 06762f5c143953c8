import type { Config } from '../config.ts';
import type { FetchGuard } from '../domain/showtimes.ts';
import type { ShowtimeSource } from '../domain/source.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { TokenBudget } from './budget.ts';
import { createGeminiClient } from './gemini.ts';
import { geminiSource } from './pipeline.ts';
import { RateLimiter } from './rate-limit.ts';

const HOUR_MS = 3_600_000;
const RETRY_AFTER_FAILURE_MS = 15 * 60_000;

/** Gemini as the showtime source, with the cost guard around it, as configured. */
export function liveScraping(
  gemini: Config['gemini'] & { apiKey: string },
  deps: { store: Store; clock: () => Date; log: Logger },
): { source: ShowtimeSource; guard: FetchGuard } {
  const budget = new TokenBudget(deps.store, gemini.dailyTokenBudget, deps.clock);
  const client = createGeminiClient({
    apiKey: gemini.apiKey,
    model: gemini.model,
    baseUrl: gemini.baseUrl,
    timeoutMs: gemini.timeoutMs,
    log: deps.log,
  });
  return {
    source: geminiSource({
      store: deps.store,
      client,
      budget,
      clock: deps.clock,
      log: deps.log,
      concurrency: gemini.concurrency,
      granularity: gemini.granularity,
    }),
    guard: {
      budget,
      perVisitor: new RateLimiter({ limit: gemini.scrapesPerIpPerHour, windowMs: HOUR_MS, clock: deps.clock }),
      retryAfterMs: RETRY_AFTER_FAILURE_MS,
    },
  };
}
