// Once per test run, before any test file: the web package is built (so the deploys of test files running side by
// side find it up to date and write nothing into it), and the port blocks of the tests that run real workers are
// found free and shared out.
import { resolve } from 'node:path';
import { execa } from 'execa';
import type { TestProject } from 'vitest/node';
import { WEB_PACKAGE } from '../../src/plan/argv.ts';
import { probePortFree } from '../../src/state/ports.ts';
import { assignBlocks } from './port-blocks.ts';

const REPO = resolve(import.meta.dirname, '../../../..');

export default async function setup(project: TestProject): Promise<void> {
  const build = await execa('pnpm', ['--filter', WEB_PACKAGE, 'build'], { cwd: REPO, reject: false, all: true });
  if (build.exitCode !== 0) throw new Error(`pnpm --filter ${WEB_PACKAGE} build failed:\n${build.all}`);
  project.provide('portBlocks', await assignBlocks(probePortFree));
}
