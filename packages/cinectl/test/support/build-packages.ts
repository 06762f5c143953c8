// Once per test run, before any test file of either project: the web package is built, its workspace dependencies
// (@cinestream/redact) first. Site processes that tests start with plain `node` then run today's code of those
// dependencies (their `default` export is the built file). Deploys build in a copy of their own (plan/deploy.ts).
import { resolve } from 'node:path';
import { execa } from 'execa';
import { WEB_PACKAGE } from '../../src/plan/argv.ts';

const REPO = resolve(import.meta.dirname, '../../../..');
/** Both projects name this setup; the second one in the same run finds the build done. */
const BUILT = Symbol.for('cinestream.test.packagesBuilt');

export default async function setup(): Promise<void> {
  const run = globalThis as { [BUILT]?: boolean };
  if (run[BUILT]) return;
  const build = await execa('pnpm', ['--filter', WEB_PACKAGE, 'build'], { cwd: REPO, reject: false, all: true });
  if (build.exitCode !== 0) throw new Error(`pnpm --filter ${WEB_PACKAGE} build failed:\n${build.all}`);
  run[BUILT] = true;
}
