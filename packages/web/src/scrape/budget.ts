import type { TokenCounts } from '../domain/model.ts';
import type { Store } from '../store/store.ts';

/** Cached tokens are part of `prompt`; they are not added again. */
export function totalTokens(tokens: TokenCounts): number {
  return tokens.prompt + tokens.output + tokens.tool + tokens.thoughts;
}

/** The counter a UTC day's Gemini tokens are added to, shared by every worker through the store. */
export function tokenCounterName(now: Date): string {
  return `gemini-tokens:${now.toISOString().slice(0, 10)}`;
}

/** The counter a UTC day's Gemini spending is added to, in millionths of a US dollar (counters are whole numbers). */
export function spendingCounterName(now: Date): string {
  return `gemini-micro-usd:${now.toISOString().slice(0, 10)}`;
}

const MICRO = 1_000_000;

/**
 * The global daily budget of Gemini (UTC days), kept in the store so all workers draw from one budget: a cap on
 * tokens and a cap on USD (tokens plus searches at list price). Either one spent stops the asking.
 */
export class TokenBudget {
  readonly #store: Store;
  readonly #dailyLimit: number;
  readonly #clock: () => Date;
  readonly #dailyUsd: number;

  constructor(store: Store, dailyLimit: number, clock: () => Date, dailyUsd = Number.POSITIVE_INFINITY) {
    this.#store = store;
    this.#dailyLimit = dailyLimit;
    this.#clock = clock;
    this.#dailyUsd = dailyUsd;
  }

  get dailyLimit(): number {
    return this.#dailyLimit;
  }

  get dailyUsd(): number {
    return this.#dailyUsd;
  }

  async spentToday(): Promise<number> {
    return this.#store.counter(tokenCounterName(this.#clock()));
  }

  async spentUsdToday(): Promise<number> {
    return (await this.#store.counter(spendingCounterName(this.#clock()))) / MICRO;
  }

  async exhausted(): Promise<boolean> {
    return (await this.spentToday()) >= this.#dailyLimit || (await this.spentUsdToday()) >= this.#dailyUsd;
  }

  /** Records tokens and what they and their searches cost (when known); true while both of the day's caps have room. */
  async spend(tokens: TokenCounts, usd = 0): Promise<boolean> {
    const now = this.#clock();
    const total = totalTokens(tokens);
    const micro = Math.round(usd * MICRO);
    const spent = total > 0 ? await this.#store.addToCounter(tokenCounterName(now), total) : await this.spentToday();
    const spentMicro =
      micro > 0
        ? await this.#store.addToCounter(spendingCounterName(now), micro)
        : await this.#store.counter(spendingCounterName(now));
    return spent < this.#dailyLimit && spentMicro / MICRO < this.#dailyUsd;
  }
}
