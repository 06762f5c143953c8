import type { Store } from '../store/store.ts';

/** How often a lock's holder renews it and beats its heartbeat. */
export const HEARTBEAT_MS = 10_000;
/** A fetch whose heartbeat is this old has lost its worker: three beats missed. */
export const STALLED_AFTER_MS = 3 * HEARTBEAT_MS;

export interface LockOptions {
  ttlMs: number;
  clock: () => Date;
  /** Called after each renewal, to show elsewhere that the holder is alive. */
  onRenew?: (now: Date) => Promise<void>;
}

/**
 * Takes the store's cross-process lock `name` and keeps renewing it, so that it only expires when its holder
 * dies. Returns the function that releases it, or null when someone else holds it.
 */
export async function holdLock(
  store: Store,
  name: string,
  owner: string,
  options: LockOptions,
): Promise<(() => Promise<void>) | null> {
  if (!(await store.acquireLock(name, owner, options.ttlMs, options.clock()))) return null;
  const renewOnce = async () => {
    const now = options.clock();
    if (await store.acquireLock(name, owner, options.ttlMs, now)) await options.onRenew?.(now);
  };
  const renew = setInterval(
    () => void renewOnce().catch(() => undefined),
    Math.max(1000, Math.min(HEARTBEAT_MS, Math.floor(options.ttlMs / 3))),
  );
  renew.unref();
  return async () => {
    clearInterval(renew);
    await store.releaseLock(name, owner);
  };
}

/** True when a city's fetch shows no sign of life: it is `scraping` and its heartbeat is missing or old. */
export function fetchStalled(location: { status: string; heartbeatAt?: string }, now: Date): boolean {
  if (location.status !== 'scraping') return false;
  const beat = Date.parse(location.heartbeatAt ?? '');
  return Number.isNaN(beat) || now.getTime() - beat >= STALLED_AFTER_MS;
}
