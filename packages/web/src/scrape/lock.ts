import type { Store } from '../store/store.ts';

export interface LockOptions {
  ttlMs: number;
  clock: () => Date;
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
  const renew = setInterval(
    () => void store.acquireLock(name, owner, options.ttlMs, options.clock()).catch(() => undefined),
    Math.max(1000, Math.floor(options.ttlMs / 3)),
  );
  renew.unref();
  return async () => {
    clearInterval(renew);
    await store.releaseLock(name, owner);
  };
}
