import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const TOOLS_DIR = process.env.CINESTREAM_TOOLS_DIR ?? join(homedir(), '.cache', 'cinestream', 'tools');

/**
 * gixy-ng as scripts/checkers.sh installs it, and why its test skips (undefined: it runs). `pnpm test:fast` skips
 * it; a missing gixy-ng skips on a developer's machine but not in CI (CI set), where the test fails instead.
 */
export function gixy(): { path: string; skip: string | undefined } {
  const path = join(TOOLS_DIR, 'python-checkers', 'bin', 'gixy');
  if (process.env.CINESTREAM_TEST_NO_TOOLS === '1') return { path, skip: 'pnpm test:fast runs no real programs' };
  try {
    accessSync(path, constants.X_OK);
    return { path, skip: undefined };
  } catch {
    return { path, skip: process.env.CI ? undefined : 'gixy-ng not installed (scripts/setup.sh --test)' };
  }
}
