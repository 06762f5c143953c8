import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingIO } from '../../test/support/io.ts';
import { makeRoot, removeRoot, treeHash } from '../../test/support/root.ts';
import { StepFailedError } from '../errors.ts';
import { closeLogger, createFileLogger, createSilentLogger } from '../log.ts';
import { Sensitive } from '../plan/sensitive.ts';
import { hostPath, type Plan, ROOT_OWNER, type Step } from '../plan/types.ts';
import { executePlan, previewPlan, summarize } from './executor.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

function newRoot(): string {
  const root = makeRoot({ nginx: false });
  roots.push(root);
  return root;
}

const run = (plan: Plan, root: string, io = recordingIO()) =>
  executePlan(plan, { root, io, log: createSilentLogger(), renderer: 'silent' });

const write = (path: string, content: string, extra: Partial<Extract<Step, { kind: 'write' }>> = {}): Step => ({
  kind: 'write',
  title: `Write ${path}`,
  path,
  content,
  mode: 0o644,
  owner: ROOT_OWNER,
  ...extra,
});

const filesPlan: Plan = {
  title: 'Files',
  steps: [
    { kind: 'mkdir', title: 'Create /srv/app', path: '/srv/app', mode: 0o750, owner: ROOT_OWNER },
    write('/srv/app/releases/r1/app.js', 'console.log(1);\n'),
    write('/srv/app/.env', 'SECRET_KEY=abc\n', { mode: 0o600 }),
    { kind: 'symlink', title: 'Link current', path: '/srv/app/current', target: 'releases/r1' },
    { kind: 'remove', title: 'Remove /srv/old', path: '/srv/old', recursive: true },
  ],
};

describe('executePlan', () => {
  it('applies files, directories and links under the root, and a second run changes nothing', async () => {
    const root = newRoot();
    mkdirSync(join(root, 'srv/old/deep'), { recursive: true });
    const first = await run(filesPlan, root);
    expect(first.map((result) => result.outcome)).toEqual(['changed', 'changed', 'changed', 'changed', 'changed']);
    expect(summarize(first)).toBe('5 changed, 0 unchanged');
    expect(readFileSync(join(root, 'srv/app/releases/r1/app.js'), 'utf8')).toBe('console.log(1);\n');
    expect(lstatSync(join(root, 'srv/app')).mode & 0o7777).toBe(0o750);
    expect(lstatSync(join(root, 'srv')).mode & 0o7777).toBe(0o755);
    expect(lstatSync(join(root, 'srv/app/.env')).mode & 0o7777).toBe(0o600);
    expect(readlinkSync(join(root, 'srv/app/current'))).toBe('releases/r1');
    expect(existsSync(join(root, 'srv/old'))).toBe(false);

    const hash = treeHash(root);
    const second = await run(filesPlan, root);
    expect(summarize(second)).toBe('0 changed, 5 unchanged');
    expect(treeHash(root)).toBe(hash);
  });

  it('notices a changed mode even when the content is the same', async () => {
    const root = newRoot();
    await run(filesPlan, root);
    const { chmodSync } = await import('node:fs');
    chmodSync(join(root, 'srv/app/.env'), 0o644);
    const results = await run(filesPlan, root);
    expect(results.filter((result) => result.outcome === 'changed').map((result) => result.title)).toEqual([
      'Write /srv/app/.env',
    ]);
    expect(lstatSync(join(root, 'srv/app/.env')).mode & 0o7777).toBe(0o600);
  });

  it('runs a step with `when` only if a step it names changed in this run', async () => {
    const root = newRoot();
    const plan: Plan = {
      title: 'Triggered',
      steps: [
        write('/etc/app.conf', 'a=1\n', { id: 'conf' }),
        { kind: 'run', title: 'Mark', argv: ['touch', hostPath('/marker')], when: { changed: ['conf'] } },
      ],
    };
    expect((await run(plan, root)).map((result) => result.outcome)).toEqual(['changed', 'changed']);
    rmSync(join(root, 'marker'));
    const again = await run(plan, root);
    expect(again[1]).toMatchObject({ outcome: 'unchanged', note: 'nothing it depends on changed' });
    expect(existsSync(join(root, 'marker'))).toBe(false);
  });

  it('skips a run step whose `unless` probe holds', async () => {
    const root = newRoot();
    const io = recordingIO();
    const plan: Plan = {
      title: 'Guarded',
      steps: [
        {
          kind: 'run',
          title: 'Create marker',
          argv: ['touch', hostPath('/marker')],
          unless: { kind: 'path-exists', path: '/marker' },
        },
      ],
    };
    await run(plan, root, io);
    await run(plan, root, io);
    expect(io.commands).toEqual([`touch ${root}/marker`]);
  });

  it('stops at the first failure, naming the step and what was already done', async () => {
    const root = newRoot();
    writeFileSync(join(root, 'a.txt'), 'same\n');
    const plan: Plan = {
      title: 'Failing',
      steps: [
        write('/a.txt', 'same\n'),
        write('/b.txt', 'new\n'),
        {
          kind: 'run',
          title: 'Run a failing command',
          argv: ['node', '-e', 'console.error("disk on fire"); process.exit(3)'],
        },
        write('/c.txt', 'never\n'),
      ],
    };
    const error = await run(plan, root).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StepFailedError);
    expect((error as Error).message).toBe(
      `failed at step 3 (Run a failing command): node -e 'console.error("disk on fire"); process.exit(3)' exited with code 3: disk on fire; already done: Write /b.txt`,
    );
    expect(existsSync(join(root, 'c.txt'))).toBe(false);
  });

  it('says "nothing" when the failing step was the first change', async () => {
    const error = await run({ title: 'x', steps: [{ kind: 'run', title: 'Fail', argv: ['false'] }] }, newRoot()).catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toBe(
      'failed at step 1 (Fail): false exited with code 1: exit code 1; already done: nothing',
    );
  });

  it('creates accounts in the root and owns files by their ids there', async () => {
    if (process.getuid?.() !== 0) return;
    const root = newRoot();
    const plan: Plan = {
      title: 'Account',
      steps: [
        {
          kind: 'user',
          title: 'Create user myapp',
          name: 'myapp',
          ensure: 'present',
          home: '/var/www/myapp',
          shell: '/usr/bin/nologin',
        },
        { kind: 'mkdir', title: 'Data', path: '/var/lib/myapp', mode: 0o700, owner: { user: 'myapp', group: 'myapp' } },
      ],
    };
    expect(summarize(await run(plan, root))).toBe('2 changed, 0 unchanged');
    const passwd = readFileSync(join(root, 'etc/passwd'), 'utf8');
    const uid = Number(/^myapp:[^:]*:(\d+):/m.exec(passwd)?.[1]);
    expect(lstatSync(join(root, 'var/lib/myapp')).uid).toBe(uid);
    expect(summarize(await run(plan, root))).toBe('0 changed, 2 unchanged');
  });

  it('enables units offline under --root and reports what needs a running systemd as skipped', async () => {
    const root = newRoot();
    const unit = '[Unit]\nDescription=t\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n';
    const plan: Plan = {
      title: 'Units',
      steps: [
        write('/etc/systemd/system/demo@.service', unit),
        { kind: 'service', title: 'Enable demo@8001', unit: 'demo@8001.service', action: 'enable' },
        { kind: 'service', title: 'Start demo@8001', unit: 'demo@8001.service', action: 'start' },
        { kind: 'run', title: 'Reload systemd', argv: ['systemctl', 'daemon-reload'], live: true },
      ],
    };
    const first = await run(plan, root);
    expect(first.map((result) => result.outcome)).toEqual(['changed', 'changed', 'skipped', 'skipped']);
    expect(readlinkSync(join(root, 'etc/systemd/system/multi-user.target.wants/demo@8001.service'))).toBe(
      '/etc/systemd/system/demo@.service',
    );
    expect(summarize(await run(plan, root))).toBe('0 changed, 2 unchanged, 2 skipped (cannot act on a --root tree)');
  });

  it('logs JSON lines without secrets', async () => {
    const root = newRoot();
    const file = join(root, 'var/log/cinectl.log');
    const log = createFileLogger(file, { verbose: false });
    const secret = new Sensitive('s3cr3t-value-that-must-not-leak');
    await executePlan(
      {
        title: 'Secrets',
        steps: [
          write('/app/.env', `SECRET_KEY=${secret.reveal()}\n`, { secrets: [secret], mode: 0o600 }),
          { kind: 'run', title: 'Use the secret', argv: ['node', '-e', '', secret] },
        ],
      },
      { root, io: recordingIO(), log, renderer: 'silent' },
    );
    await closeLogger(log);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.join('\n')).not.toContain('s3cr3t');
    expect(lines.join('\n')).toContain('[REDACTED]');
  });
});

describe("a plan's cleanup", () => {
  const cleanupPlan = (scratch: string, steps: Step[]): Plan => ({
    title: 'Build',
    steps,
    cleanup: [{ kind: 'remove', title: 'Remove the copy', path: scratch, recursive: true, onThisMachine: true }],
  });

  it('removes its path on this machine, not under the root, after a failed step, and the failure stays', async () => {
    const root = newRoot();
    const scratch = join(newRoot(), 'copy');
    mkdirSync(join(scratch, 'node_modules'), { recursive: true });
    const io = recordingIO({ exec: () => ({ exitCode: 2, stdout: '', stderr: 'build failed' }) });
    const plan = cleanupPlan(scratch, [{ kind: 'run', title: 'Build', argv: ['pnpm', 'build'], cwd: scratch }]);
    const error = await run(plan, root, io).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StepFailedError);
    expect((error as Error).message).toContain('build failed');
    expect(existsSync(scratch)).toBe(false);
  });

  it('runs after a plan that succeeds too, and a dry run only names it', async () => {
    const root = newRoot();
    const scratch = join(newRoot(), 'copy');
    mkdirSync(scratch);
    const plan = cleanupPlan(scratch, [write('/srv/a', 'a\n')]);
    const { lines } = await previewPlan(plan, { root, io: recordingIO(), log: createSilentLogger() });
    expect(lines.at(-1)).toBe('[after every outcome] Remove the copy');
    expect(existsSync(scratch)).toBe(true);
    await run(plan, root);
    expect(existsSync(scratch)).toBe(false);
  });
});

describe('previewPlan (dry run)', () => {
  it('prints commands and redacted diffs and changes nothing', async () => {
    const root = newRoot();
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'app/.env'), 'NODE_ENV=production\nSECRET_KEY=old-secret-value\n', { mode: 0o600 });
    const secret = new Sensitive('new-secret-value');
    const plan: Plan = {
      title: 'Preview',
      steps: [
        write('/app/.env', `NODE_ENV=production\nSECRET_KEY=${secret.reveal()}\nLOG_LEVEL=info\n`, {
          secrets: [secret],
          mode: 0o600,
        }),
        { kind: 'run', title: 'Build', argv: ['pnpm', 'build', hostPath('/app')], cwd: '/src' },
        { kind: 'service', title: 'Start it', unit: 'demo.service', action: 'start' },
      ],
    };
    const before = treeHash(root);
    const { lines, results } = await previewPlan(plan, { root, io: recordingIO(), log: createSilentLogger() });
    expect(treeHash(root)).toBe(before);
    expect(lines).toEqual([
      '[1] Write /app/.env',
      '    --- /app/.env',
      '    +++ /app/.env',
      '    @@ -1,2 +1,3 @@',
      '     NODE_ENV=production',
      '     SECRET_KEY=[REDACTED]',
      '    +LOG_LEVEL=info',
      '[2] Build',
      `    $ pnpm build ${root}/app  (in /src)`,
      '[3] Start it',
      '    skipped: cannot act on a --root tree',
    ]);
    expect(lines.join('\n')).not.toMatch(/secret-value/);
    expect(summarize(results, true)).toBe('2 to change, 0 unchanged, 1 skipped (cannot act on a --root tree)');
  });
});
