import { resolve } from 'node:path';

/** The web package's folder; the same from `src/` (development, tests) and `dist/` (production). */
export const packageRoot = resolve(import.meta.dirname, '..');
export const viewsDir = resolve(packageRoot, 'src/views');
export const publicDir = resolve(packageRoot, 'src/public');
