import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Router } from 'express';
import { packageRoot } from '../paths.ts';

/**
 * Where the API's description is looked for, first found wins: the copy the build puts next to the compiled
 * code (dist/openapi.yaml, what a release has), then docs/openapi.yaml of the checkout. Run from src/, the
 * first is absent, so a stale dist/ never hides the docs one.
 */
export const SPEC_FILES = [
  resolve(import.meta.dirname, '../openapi.yaml'),
  resolve(packageRoot, '../../docs/openapi.yaml'),
];

function readFirst(files: readonly string[]): Buffer | undefined {
  for (const file of files) {
    try {
      return readFileSync(file);
    } catch {
      // Not there: the next one.
    }
  }
  return undefined;
}

/** `GET /api/openapi.yaml`: the API's description, read once at start-up; a 404 when neither copy is there. */
export function openapiRoutes(files: readonly string[] = SPEC_FILES): Router {
  const router = Router();
  const spec = readFirst(files);
  if (spec) {
    router.get('/api/openapi.yaml', (_req, res) => {
      res.set({ 'Content-Type': 'application/yaml; charset=utf-8', 'Cache-Control': 'no-cache' }).send(spec);
    });
  }
  return router;
}
