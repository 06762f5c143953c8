import { Router } from 'express';
import type { StoreKind } from '../store/store.ts';

export function healthRoutes(port: number, store: StoreKind): Router {
  const router = Router();
  const body = { status: 'ok', port, store };
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}
