// init-server's package part with the real pacman (Debian's pacman-package-manager) on throwaway roots, installing
// stand-ins of Arch's packages from a local repository built with makepkg (test/support/pacman-repo.ts).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installInput } from '../src/commands/init-server.ts';
import { executePlan, previewPlan, summarize } from '../src/host/executor.ts';
import { commandPath } from '../src/host/io.ts';
import { realServerProbes } from '../src/host/server-facts.ts';
import { createSilentLogger } from '../src/log.ts';
import { installPlan } from '../src/plan/init-server.ts';
import { BASE_PACKAGES, pacmanRootOptions } from '../src/plan/packages.ts';
import type { Plan } from '../src/plan/types.ts';
import { testContext } from './support/context.ts';
import { type RecordingIO, recordingIO } from './support/io.ts';
import { makePacmanRoot, standInRepo, usePacmanRepo } from './support/pacman-repo.ts';
import { planLines } from './support/plan-text.ts';
import { treeHash } from './support/root.ts';

const STAND_INS = [...BASE_PACKAGES.map((name) => ({ name })), { name: 'nodejs-lts-jod', provides: ['nodejs'] }];

let repo = '';
let newerGitRepo = '';
const roots: string[] = [];

beforeAll(async () => {
  repo = await standInRepo(STAND_INS);
  newerGitRepo = await standInRepo([{ name: 'git' }], '2.0');
}, 120_000);
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function newRoot(): string {
  const root = makePacmanRoot(repo);
  roots.push(root);
  return root;
}

const pacman = (root: string) => `pacman ${pacmanRootOptions(root).join(' ')}`;

async function pacmanOn(root: string, args: string[]): Promise<string> {
  const result = await execa('pacman', [...pacmanRootOptions(root), ...args], {
    env: { PATH: commandPath() },
    reject: false,
  });
  return String(result.stdout);
}

/** Installed packages as `name version` lines. */
const installed = async (root: string) => (await pacmanOn(root, ['-Q'])).split('\n').filter(Boolean);

async function packagePlan(root: string, io: RecordingIO): Promise<Plan> {
  return installPlan(await installInput(testContext({ root }, { io }), realServerProbes));
}

/** Runs the plan with the real executor; returns the summary and the commands that were run (not the probes). */
async function run(plan: Plan, root: string, io: RecordingIO) {
  const first = io.commands.length;
  const results = await executePlan(plan, { root, io, log: createSilentLogger(), renderer: 'silent' });
  const ran = io.commands.slice(first).filter((command) => !command.includes(' -T '));
  return { summary: summarize(results), ran };
}

/** The command lines a dry run prints for the plan. */
async function dryRunCommands(plan: Plan, root: string, io: RecordingIO): Promise<string[]> {
  const { lines } = await previewPlan(plan, { root, io, log: createSilentLogger() });
  return lines.map((line) => line.trim()).flatMap((line) => (line.startsWith('$ ') ? [line.slice(2)] : []));
}

describe('init-server packages with the real pacman on a throwaway root', () => {
  it('installs everything on a fresh root, exactly the commands the dry run prints; the second run changes nothing', async () => {
    const root = newRoot();
    const io = recordingIO();
    const plan = await packagePlan(root, io);
    expect(planLines(plan, root)).toEqual([
      `run ${pacman(root)} -Syu --noconfirm`,
      `run ${pacman(root)} -S --needed --noconfirm nginx git nodejs npm pnpm certbot logrotate certbot-nginx base-devel`,
    ]);

    const shown = await dryRunCommands(plan, root, io);
    expect(await installed(root)).toEqual([]);
    const first = await run(plan, root, io);
    expect(first.summary).toBe('2 changed, 0 unchanged');
    expect(first.ran).toEqual(shown);
    expect(await installed(root)).toEqual(BASE_PACKAGES.map((name) => `${name} 1.0-1`).sort());
    expect(readFileSync(join(root, 'usr/share/standins/pnpm'), 'utf8')).toBe('pnpm 1.0\n');
    expect(readFileSync(join(root, 'usr/lib/systemd/system/nginx.service'), 'utf8')).toContain('ExecStart=');

    const before = treeHash(root);
    const again = await packagePlan(root, io);
    expect(again.steps).toEqual([]);
    const second = await run(again, root, io);
    expect(second.summary).toBe('0 changed, 0 unchanged');
    expect(second.ran).toEqual([]);
    expect(treeHash(root)).toBe(before);
  });

  it('a stale plan run again installs nothing: the install step finds its packages there', async () => {
    const root = newRoot();
    const io = recordingIO();
    const plan = await packagePlan(root, io);
    await run(plan, root, io);
    const install = { ...plan, steps: plan.steps.slice(1) };
    const again = await run(install, root, io);
    expect(again.summary).toBe('0 changed, 1 unchanged');
    expect(again.ran).toEqual([]);
  });

  it('on a half-installed root installs only what is missing and reinstalls nothing', async () => {
    const root = newRoot();
    await pacmanOn(root, ['-Sy', '--noconfirm', 'nginx', 'git', 'nodejs-lts-jod']);
    const nginxRecord = join(root, 'var/lib/pacman/local/nginx-1.0-1/desc');
    const nginxBefore = readFileSync(nginxRecord, 'utf8');
    const io = recordingIO();

    const plan = await packagePlan(root, io);
    // nodejs-lts-jod provides nodejs: nodejs is not asked for (it would conflict on Arch).
    expect(planLines(plan, root)).toEqual([
      `run ${pacman(root)} -Syu --noconfirm`,
      `run ${pacman(root)} -S --needed --noconfirm npm pnpm certbot logrotate certbot-nginx base-devel`,
    ]);
    const shown = await dryRunCommands(plan, root, io);
    const first = await run(plan, root, io);
    expect(first.ran).toEqual(shown);
    expect(await installed(root)).toEqual(
      [...BASE_PACKAGES.filter((name) => name !== 'nodejs'), 'nodejs-lts-jod'].map((name) => `${name} 1.0-1`).sort(),
    );
    expect(readFileSync(nginxRecord, 'utf8')).toBe(nginxBefore);
    expect((await packagePlan(root, io)).steps).toEqual([]);
  });

  it('upgrades what the repository has newer versions of, found without touching the root', async () => {
    const root = newRoot();
    await run(await packagePlan(root, recordingIO()), root, recordingIO());
    usePacmanRepo(root, newerGitRepo);
    const before = treeHash(root);
    const io = recordingIO();

    const plan = await packagePlan(root, io);
    expect(treeHash(root)).toBe(before);
    expect(plan.steps.map((step) => step.title)).toEqual([
      'Refresh the package databases and upgrade 1 package (pacman -Syu)',
    ]);
    const result = await run(plan, root, io);
    expect(result.summary).toBe('1 changed, 0 unchanged');
    expect(await installed(root)).toContain('git 2.0-1');
    expect((await packagePlan(root, io)).steps).toEqual([]);
  });
});
