/**
 * At most `limit` events per key (a visitor's IP) in any `windowMs`, counted in this process. nginx's
 * `ip_hash` sends an address to the same worker every time, so per worker is per address.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #clock: () => Date;
  readonly #events = new Map<string, number[]>();

  constructor(options: { limit: number; windowMs: number; clock: () => Date }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#clock = options.clock;
  }

  /** True (and counted) when `key` may have one more event now. */
  take(key: string): boolean {
    const now = this.#clock().getTime();
    if (this.#events.size > 10_000) this.#forgetIdle(now);
    const recent = (this.#events.get(key) ?? []).filter((at) => at > now - this.#windowMs);
    if (recent.length >= this.#limit) {
      this.#events.set(key, recent);
      return false;
    }
    recent.push(now);
    this.#events.set(key, recent);
    return true;
  }

  #forgetIdle(now: number): void {
    for (const [key, times] of this.#events) {
      if ((times.at(-1) ?? 0) <= now - this.#windowMs) this.#events.delete(key);
    }
  }
}
