// Once per run of the fast tests: the workspace packages the site imports are built, so the site processes that
// tests start with plain `node` run today's code of those packages (their `default` export is the built file).
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const REPO = resolve(import.meta.dirname, '../../../..');
const DEPENDENCIES = '@cinestream/web^...';

export default async function setup(): Promise<void> {
  await promisify(execFile)('pnpm', ['--filter', DEPENDENCIES, 'build'], { cwd: REPO }).catch(
    (failed: { stdout?: string; stderr?: string }) => {
      throw new Error(`pnpm --filter ${DEPENDENCIES} build failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
    },
  );
}
