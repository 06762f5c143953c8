import type { Config } from '../config.ts';
import type { FetchGuard } from '../domain/showtimes.ts';
import type { ShowtimeSource } from '../domain/source.ts';
import type { Logger } from '../log.ts';
import { reportDegraded } from '../routes/health.ts';
import type { Store } from '../store/store.ts';
import { TokenBudget } from './budget.ts';
import { createGeminiClient, type GeminiClient } from './gemini.ts';
import { chooseModel, type ModelList } from './model-choice.ts';
import { modelList } from './model-list.ts';
import { type ModelInfo, resolveOffline } from './models.ts';
import { geminiSource } from './pipeline.ts';
import { RateLimiter } from './rate-limit.ts';
import { createPageFetcher, type PageFetcher } from './web/fetcher.ts';

const HOUR_MS = 3_600_000;
const RETRY_AFTER_FAILURE_MS = 15 * 60_000;
const MODEL_LIST_TIMEOUT_MS = 15_000;
const VERSION = '0.1';

/** What the cinemas' servers see: CineStream, and the site that reads them (PUBLIC_URL), so their owners can reach it. */
export function userAgent(publicUrl: string | undefined): string {
  return publicUrl ? `CineStream/${VERSION} (+${publicUrl})` : `CineStream/${VERSION}`;
}

/**
 * Gemini as the showtime source, with the cost guard around it, as configured. GEMINI_MODEL is resolved against
 * the API's model list first; no usable model is one error line and a `degraded` /healthz detail, and the site
 * serves what is stored without asking Gemini anything.
 */
export async function liveScraping(
  gemini: Config['gemini'] & { apiKey: string },
  deps: { store: Store; clock: () => Date; log: Logger; publicUrl?: string | undefined; pages?: PageFetcher },
): Promise<{ source: ShowtimeSource; guard: FetchGuard }> {
  const list = await modelList({
    apiKey: gemini.apiKey,
    baseUrl: gemini.baseUrl,
    timeoutMs: Math.min(gemini.timeoutMs, MODEL_LIST_TIMEOUT_MS),
  });
  const choice = chooseModel(gemini.model, list);
  if (choice.ok) deps.log[choice.fromFallback ? 'warn' : 'info'](`Gemini model: ${choice.line}`);
  else {
    deps.log.error(choice.line);
    reportDegraded('gemini', choice.line);
  }
  const budget = new TokenBudget(deps.store, gemini.dailyTokenBudget, deps.clock, gemini.dailyBudgetUsd);
  const clientOf = (model: ModelInfo, unusable?: string) =>
    createGeminiClient({
      apiKey: gemini.apiKey,
      model,
      ...(unusable ? { unusable } : {}),
      baseUrl: gemini.baseUrl,
      timeoutMs: gemini.timeoutMs,
      log: deps.log,
    });
  const client = choice.ok ? clientOf(choice.model) : clientOf(resolveOffline(gemini.model), choice.line);
  const pageClient =
    gemini.schedulePages && choice.ok ? pageReader(gemini.pageModel, list, deps.log, clientOf) : undefined;
  return {
    source: geminiSource({
      store: deps.store,
      client,
      budget,
      clock: deps.clock,
      log: deps.log,
      concurrency: gemini.concurrency,
      granularity: gemini.granularity,
      flexRefreshes: gemini.flexRefreshes,
      ...(pageClient ? { pageClient } : {}),
      ...(gemini.schedulePages
        ? { pages: deps.pages ?? createPageFetcher({ userAgent: userAgent(deps.publicUrl) }) }
        : {}),
    }),
    guard: {
      budget,
      perVisitor: new RateLimiter({ limit: gemini.scrapesPerIpPerHour, windowMs: HOUR_MS, clock: deps.clock }),
      retryAfterMs: RETRY_AFTER_FAILURE_MS,
    },
  };
}

/** The client that reads page text (GEMINI_PAGE_MODEL); when that model cannot be had, GEMINI_MODEL's reads them. */
function pageReader(
  asked: string,
  list: ModelList,
  log: Logger,
  clientOf: (model: ModelInfo) => GeminiClient,
): GeminiClient | undefined {
  const choice = chooseModel(asked, list, 'GEMINI_PAGE_MODEL');
  if (!choice.ok) {
    log.warn(`${choice.line} Page text is read by GEMINI_MODEL's model meanwhile.`);
    return undefined;
  }
  log[choice.fromFallback ? 'warn' : 'info'](`Gemini page model: ${choice.line}`);
  return clientOf(choice.model);
}
