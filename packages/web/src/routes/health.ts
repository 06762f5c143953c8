import { Router } from 'express';
import type { StoreKind } from '../store/store.ts';

/**
 * What this process found wrong at start-up but serves on regardless (say, a retired Gemini model): one sentence
 * per part, shown by /healthz under `degraded`. The status stays `ok`: the site is up and serves what is stored
 * (deploy checks wait for `ok`). One site per process, so one record per process.
 */
const degraded = new Map<string, string>();

export function reportDegraded(part: string, detail: string): void {
  degraded.set(part, detail);
}

export function healthRoutes(port: number, store: StoreKind): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const body =
      degraded.size === 0
        ? { status: 'ok', port, store }
        : { status: 'ok', port, store, degraded: Object.fromEntries(degraded) };
    res.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
