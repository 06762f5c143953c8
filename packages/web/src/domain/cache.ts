import { LRUCache } from 'lru-cache';

interface Entry<T> {
  version: number;
  value: T;
}

/**
 * A per-process cache whose entries are only good for one data version of a city.
 * Callers read the city's version from the store first, so a worker never serves data
 * older than what another worker wrote.
 */
export class VersionedCache<T extends object> {
  readonly #entries: LRUCache<string, Entry<T>>;

  constructor(maxEntries: number) {
    this.#entries = new LRUCache({ max: maxEntries });
  }

  get(key: string, version: number): T | undefined {
    const entry = this.#entries.get(key);
    return entry && entry.version === version ? entry.value : undefined;
  }

  set(key: string, version: number, value: T): void {
    this.#entries.set(key, { version, value });
  }

  get size(): number {
    return this.#entries.size;
  }
}
