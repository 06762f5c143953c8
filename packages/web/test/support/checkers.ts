import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The version scripts/checkers.sh installs; keep both in step. cinectl's test/support/gixy.ts finds gixy-ng alike. */
export const FERRETDB_VERSION = 'v1.24.2';

const TOOLS_DIR = process.env.CINESTREAM_TOOLS_DIR ?? join(homedir(), '.cache', 'cinestream', 'tools');
const NO_TOOLS = process.env.CINESTREAM_TEST_NO_TOOLS === '1';

/** A checker scripts/checkers.sh installed, by its path under the tools directory. */
export interface Checker {
  path: string;
  /**
   * Why its tests skip, or undefined when they run. Under `pnpm test:fast` they skip; when the checker is missing
   * they skip on a developer's machine but not in CI (CI set): there the test runs and fails on the missing file.
   */
  skip: string | undefined;
}

function checker(name: string, ...path: string[]): Checker {
  const file = join(TOOLS_DIR, ...path);
  if (NO_TOOLS) return { path: file, skip: 'pnpm test:fast runs no real programs' };
  try {
    accessSync(file, constants.X_OK);
    return { path: file, skip: undefined };
  } catch {
    if (process.env.CI) return { path: file, skip: undefined };
    return { path: file, skip: `${name} not installed (scripts/setup.sh --test)` };
  }
}

export const ferretdb = (): Checker => checker('FerretDB', `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
export const schemathesis = (): Checker => checker('schemathesis', 'python-checkers', 'bin', 'st');
