// For one test run: Node keeps the compiled code of the modules it loads in a directory of the run's own, so the
// many cinectl and site processes the tests start load their TypeScript faster (Node checks each entry against the
// source, so a cached entry never stands for other code). Removed when the run ends. A cache already named (by the
// other project's setup in the same run, or by the developer) is used as it is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): (() => void) | undefined {
  if (process.env.NODE_COMPILE_CACHE) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'cinestream-compile-cache-'));
  process.env.NODE_COMPILE_CACHE = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
