import type { TokenCounts } from '../domain/model.ts';
import type { Store } from '../store/store.ts';

export function totalTokens(tokens: TokenCounts): number {
  return tokens.prompt + tokens.output + tokens.tool + tokens.thoughts;
}

/** The counter a UTC day's Gemini tokens are added to, shared by every worker through the store. */
export function tokenCounterName(now: Date): string {
  return `gemini-tokens:${now.toISOString().slice(0, 10)}`;
}

/** A global daily token budget (UTC days), kept in the store so all workers draw from one budget. */
export class TokenBudget {
  readonly #store: Store;
  readonly #dailyLimit: number;
  readonly #clock: () => Date;

  constructor(store: Store, dailyLimit: number, clock: () => Date) {
    this.#store = store;
    this.#dailyLimit = dailyLimit;
    this.#clock = clock;
  }

  get dailyLimit(): number {
    return this.#dailyLimit;
  }

  async spentToday(): Promise<number> {
    return this.#store.counter(tokenCounterName(this.#clock()));
  }

  async exhausted(): Promise<boolean> {
    return (await this.spentToday()) >= this.#dailyLimit;
  }

  /** Records tokens spent; true while the day's budget still has room. */
  async spend(tokens: TokenCounts): Promise<boolean> {
    const total = totalTokens(tokens);
    const spent =
      total > 0 ? await this.#store.addToCounter(tokenCounterName(this.#clock()), total) : await this.spentToday();
    return spent < this.#dailyLimit;
  }
}
