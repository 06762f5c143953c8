import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Router } from 'express';
import { packageRoot } from '../paths.ts';

/** docs/openapi.yaml of the checkout the site runs from; a release built by `pnpm deploy` has no docs/. */
const SPEC_FILE = resolve(packageRoot, '../../docs/openapi.yaml');

function readSpec(): Buffer | undefined {
  try {
    return readFileSync(SPEC_FILE);
  } catch {
    return undefined;
  }
}

/** `GET /api/openapi.yaml`: the API's description (docs/openapi.yaml), where the checkout has it. */
export function openapiRoutes(): Router {
  const router = Router();
  const spec = readSpec();
  if (spec) {
    router.get('/api/openapi.yaml', (_req, res) => {
      res.set({ 'Content-Type': 'application/yaml; charset=utf-8', 'Cache-Control': 'no-cache' }).send(spec);
    });
  }
  return router;
}
