import type { Store } from '../store/store.ts';

const COUNT_TTL_MS = 5_000;

/** The store counter that holds the number of visitors. */
export const VISITOR_COUNTER = 'visitors';

/** The visitor counter; the shown total is re-read at most every few seconds per worker. */
export class Visitors {
  readonly #store: Store;
  #count = 0;
  #readAt = Number.NEGATIVE_INFINITY;

  constructor(store: Store) {
    this.#store = store;
  }

  async arrive(): Promise<number> {
    this.#count = await this.#store.addToCounter(VISITOR_COUNTER, 1);
    this.#readAt = Date.now();
    return this.#count;
  }

  async total(): Promise<number> {
    if (Date.now() - this.#readAt > COUNT_TTL_MS) {
      this.#count = await this.#store.counter(VISITOR_COUNTER);
      this.#readAt = Date.now();
    }
    return this.#count;
  }
}
