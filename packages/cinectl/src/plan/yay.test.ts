import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { planLines } from '../../test/support/plan-text.ts';
import { makeRoot, removeRoot } from '../../test/support/root.ts';
import { executePlan } from '../host/executor.ts';
import { commandPath, realHostIO } from '../host/io.ts';
import { createSilentLogger } from '../log.ts';
import { SUDOERS_FILE } from './layout.ts';
import type { Plan, Step } from './types.ts';
import {
  asUser,
  aurSteps,
  type Builder,
  builderSudoers,
  removeBuilderSteps,
  SUDOERS_CANDIDATE,
  takeBackPacmanPlan,
} from './yay.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cinectl-sudoers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;

function sudoersFile(content: string): string {
  const file = join(scratch, `sudoers-${++files}`);
  writeFileSync(file, content, { mode: 0o440 });
  return file;
}

const tool = (file: string, args: string[]) => execa(file, args, { reject: false, env: { PATH: commandPath() } });

interface Rule {
  users: string[];
  runas: string[];
  passwordless: boolean;
  commands: string[];
}

/** The rules of a sudoers file as sudo itself reads them (cvtsudoers, from the sudo package). */
async function rulesOf(file: string): Promise<Rule[]> {
  const result = await tool('cvtsudoers', ['-f', 'json', file]);
  if (result.exitCode !== 0) throw new Error(String(result.stderr));
  const json = JSON.parse(String(result.stdout)) as {
    User_Specs?: {
      User_List: { username: string }[];
      Cmnd_Specs: {
        runasusers?: { username: string }[];
        Options?: { authenticate?: boolean }[];
        Commands: { command: string }[];
      }[];
    }[];
  };
  return (json.User_Specs ?? []).flatMap((spec) =>
    spec.Cmnd_Specs.map((cmnd) => ({
      users: spec.User_List.map((user) => user.username),
      runas: (cmnd.runasusers ?? []).map((user) => user.username),
      passwordless: (cmnd.Options ?? []).some((option) => option.authenticate === false),
      commands: cmnd.Commands.map((command) => command.command),
    })),
  );
}

const onlyPacman = (user: string): Rule[] => [
  { users: [user], runas: ['root'], passwordless: true, commands: ['/usr/bin/pacman'] },
];

describe("the builder's sudoers file", () => {
  it('passes visudo -cf and lets the builder run pacman as root and nothing else', async () => {
    const file = sudoersFile(builderSudoers('cinectl-build'));
    const check = await tool('visudo', ['-cf', file]);
    expect(check.exitCode, String(check.stderr)).toBe(0);
    expect(await rulesOf(file)).toEqual(onlyPacman('cinectl-build'));
    expect(await rulesOf(sudoersFile(builderSudoers('alice')))).toEqual(onlyPacman('alice'));
  });

  it('negative controls: visudo rejects a broken file, and a broader rule is told apart', async () => {
    const broken = sudoersFile(builderSudoers('cinectl-build').replace('NOPASSWD:', 'NOPASSWD'));
    expect((await tool('visudo', ['-cf', broken])).exitCode).not.toBe(0);
    const broad = sudoersFile('cinectl-build ALL=(ALL) NOPASSWD: ALL\n');
    expect((await tool('visudo', ['-cf', broad])).exitCode).toBe(0);
    expect(await rulesOf(broad)).not.toEqual(onlyPacman('cinectl-build'));
  });

  it('refuses names that are not accounts (nothing else can get into the file)', () => {
    expect(() => builderSudoers('ALL')).toThrow(/not an account name/);
    expect(() => builderSudoers('bob ALL=(ALL) ALL\nx')).toThrow(/not an account name/);
    expect(() => asUser('root; rm', ['true'])).toThrow(/not an account name/);
  });
});

describe('the sudoers file goes live only once visudo passed it', () => {
  const ALICE: Builder = { user: 'alice', group: 'users', dedicated: false };
  const isSudoersStep = (step: Step) =>
    (step.kind === 'write' && step.path === SUDOERS_CANDIDATE) ||
    (step.kind === 'run' && step.argv[0] === 'visudo') ||
    (step.kind === 'move' && step.from === SUDOERS_CANDIDATE);
  const steps = aurSteps({ builder: ALICE, yayMissing: false, aurPackages: ['x'], aurMissing: ['x'] }).filter(
    isSudoersStep,
  );
  const apply = (root: string, plan: Plan) =>
    executePlan(plan, { root, io: realHostIO, log: createSilentLogger(), renderer: 'silent' });
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) removeRoot(root);
  });
  const tree = () => {
    const root = makeRoot({ nginx: false });
    roots.push(root);
    return root;
  };

  it('is written under a name sudo skips, checked there, then moved into place', async () => {
    expect(planLines({ title: '', steps })).toEqual([
      'write /etc/sudoers.d/cinectl-build.new 0440 root:root',
      'run visudo -cf /etc/sudoers.d/cinectl-build.new',
      'move /etc/sudoers.d/cinectl-build.new -> /etc/sudoers.d/cinectl-build',
    ]);
    const root = tree();
    await apply(root, { title: 'sudoers', steps });
    const live = `${root}${SUDOERS_FILE}`;
    expect(readFileSync(live, 'utf8')).toBe(builderSudoers('alice'));
    expect(statSync(live).mode & 0o777).toBe(0o440);
    expect(existsSync(`${root}${SUDOERS_CANDIDATE}`)).toBe(false);
  });

  it('a file visudo rejects never goes live (only the candidate, which sudo ignores, is left)', async () => {
    const root = tree();
    const broken = steps.map((step) =>
      step.kind === 'write' ? { ...step, content: step.content.replace('NOPASSWD:', 'NOPASSWD') } : step,
    );
    await expect(apply(root, { title: 'sudoers', steps: broken })).rejects.toThrow(/visudo/);
    expect(existsSync(`${root}${SUDOERS_FILE}`)).toBe(false);
    expect(existsSync(`${root}${SUDOERS_CANDIDATE}`)).toBe(true);
    await apply(root, takeBackPacmanPlan());
    expect(existsSync(`${root}${SUDOERS_CANDIDATE}`)).toBe(false);
  });

  it('no step of the AUR part takes the right back: init-server does that however the part ends', () => {
    const all = aurSteps({ builder: ALICE, yayMissing: true, aurPackages: ['x'], aurMissing: ['x'] });
    expect(all.filter((step) => step.kind === 'remove' && step.path.startsWith(SUDOERS_FILE))).toEqual([]);
    expect(planLines(takeBackPacmanPlan())).toEqual([
      'remove /etc/sudoers.d/cinectl-build',
      'remove /etc/sudoers.d/cinectl-build.new',
    ]);
  });
});

describe('removeBuilderSteps', () => {
  it('removes a sudoers file left by an interrupted run, the build trees, the account and its home', () => {
    expect(planLines({ title: '', steps: removeBuilderSteps(true) })).toEqual([
      'remove /etc/sudoers.d/cinectl-build',
      'remove /etc/sudoers.d/cinectl-build.new',
      'remove /var/cache/cinectl -r',
      'user cinectl-build absent',
      'remove /var/lib/cinectl-build -r',
    ]);
    expect(planLines({ title: '', steps: removeBuilderSteps(false) })).not.toContain('user cinectl-build absent');
  });
});
