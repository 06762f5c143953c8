export interface HostQueueOptions {
  /** Requests in flight per origin, 1 or 2. */
  concurrency?: number;
  /** Least time between two request starts to one origin, and a slot's rest after its request ends. */
  delayMs?: number;
}

export const MAX_CONCURRENCY = 2;

interface Origin {
  /** When each slot may take a request again; Infinity while it is busy. */
  slotsFreeAt: number[];
  lastStartAt: number;
  waiting: (() => void)[];
  timer: NodeJS.Timeout | undefined;
}

/**
 * Politeness per origin (scheme, host and port): at most `concurrency` requests in flight, starts `delayMs` apart,
 * and a slot rests `delayMs` after its request before taking the next. Tasks start in the order they were queued.
 */
export class HostQueue {
  readonly #concurrency: number;
  readonly #delayMs: number;
  readonly #origins = new Map<string, Origin>();

  constructor(options: HostQueueOptions = {}) {
    const concurrency = options.concurrency ?? 1;
    const delayMs = options.delayMs ?? 1_000;
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new RangeError(`per-host concurrency must be 1 or ${MAX_CONCURRENCY}, not ${concurrency}`);
    }
    if (!Number.isFinite(delayMs) || delayMs < 0)
      throw new RangeError(`per-host delay must be 0 or more, not ${delayMs}`);
    this.#concurrency = concurrency;
    this.#delayMs = delayMs;
  }

  /** Runs `task` when `url`'s origin has a free slot, and settles as it does. */
  async run<T>(url: URL, task: () => Promise<T>): Promise<T> {
    const origin = this.#originOf(url.origin);
    const slot = await new Promise<number>((resolve) => {
      origin.waiting.push(() => resolve(this.#take(origin)));
      this.#pump(origin);
    });
    try {
      return await task();
    } finally {
      origin.slotsFreeAt[slot] = performance.now() + this.#delayMs;
      this.#pump(origin);
    }
  }

  #originOf(key: string): Origin {
    const known = this.#origins.get(key);
    if (known) return known;
    if (this.#origins.size > 1_000) this.#forgetIdle();
    const origin: Origin = {
      slotsFreeAt: Array.from({ length: this.#concurrency }, () => 0),
      lastStartAt: Number.NEGATIVE_INFINITY,
      waiting: [],
      timer: undefined,
    };
    this.#origins.set(key, origin);
    return origin;
  }

  /** Starts the next waiting task if a slot and the spacing allow it, or wakes up when they will. */
  #pump(origin: Origin): void {
    if (origin.timer || origin.waiting.length === 0) return;
    const now = performance.now();
    const readyAt = Math.max(Math.min(...origin.slotsFreeAt), origin.lastStartAt + this.#delayMs);
    if (readyAt === Number.POSITIVE_INFINITY) return;
    if (readyAt > now) {
      origin.timer = setTimeout(() => {
        origin.timer = undefined;
        this.#pump(origin);
      }, readyAt - now);
      return;
    }
    origin.waiting.shift()?.();
    this.#pump(origin);
  }

  #take(origin: Origin): number {
    const now = performance.now();
    const slot = origin.slotsFreeAt.findIndex((freeAt) => freeAt <= now);
    origin.slotsFreeAt[slot] = Number.POSITIVE_INFINITY;
    origin.lastStartAt = now;
    return slot;
  }

  #forgetIdle(): void {
    const now = performance.now();
    for (const [key, origin] of this.#origins) {
      const rested = origin.slotsFreeAt.every((freeAt) => freeAt <= now);
      if (rested && origin.waiting.length === 0 && !origin.timer) this.#origins.delete(key);
    }
  }
}
