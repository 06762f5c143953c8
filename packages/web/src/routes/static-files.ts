import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { type Request, type Response, Router } from 'express';
import { type Encoded, encode, sendEncoded } from './compression.ts';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The files in `dir` (the stylesheet, the script, the icon), read and compressed once at start-up and served
 * from memory with a year's immutable caching: their URLs carry a version of their content.
 */
export function staticFiles(dir: string): Router {
  const files = new Map<string, { type: string; encoded: Encoded }>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(`/${name}`, { type, encoded: encode(readFileSync(join(dir, name)), { brotliQuality: 11 }) });
  }
  const router = Router();
  router.get('/*file', (req: Request, res: Response, next) => {
    const file = files.get(req.path);
    if (!file) return next();
    res.set({ 'Content-Type': file.type, 'Cache-Control': 'public, max-age=31536000, immutable' });
    sendEncoded(req, res, file.encoded);
  });
  return router;
}
