import { existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCopyPath, leftoverBuildCopies } from '../src/commands/build-copy.ts';
import { serializeDeployConfig } from '../src/state/deploy-config.ts';
import { CLI, cinectl } from './support/cli.ts';
import { makeFakeSource } from './support/fake-source.ts';
import { makeRoot, removeRoot, treeHash } from './support/root.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) removeRoot(dir);
});

function track(dir: string): string {
  dirs.push(dir);
  return dir;
}

const logLines = (root: string) =>
  readFileSync(join(root, 'var/log/cinectl.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe.concurrent('a failure keeps its message', () => {
  it('a log that cannot be opened is one warning; the result and exit code are the command’s own', async () => {
    const root = track(makeRoot());
    mkdirSync(join(root, 'var/log/cinectl.log'), { recursive: true });
    const result = await cinectl(['--root', root, 'stop-all']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe(
      `warning: cannot write the log ${root}/var/log/cinectl.log (EISDIR); going on without it\n`,
    );
    expect(result.stdout).toBe('Stop everything: 0 changed, 0 unchanged\n');
  });

  it('--root "" is refused, not taken for this host', async () => {
    const result = await cinectl(['--root', '', 'stop-all']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'cinectl: --root needs a directory; an empty one would mean this host — hint: give the staging tree, e.g. --root /srv/staging, or leave out --root to act on this host\n',
    );
  });

  it('--workers " 3" is refused', async () => {
    const root = track(makeRoot());
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'deploy-app', 'myapp', '--workers', ' 3']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^cinectl: --workers " 3" must be a whole number from 1 to 12 — hint: .*\n$/);
    expect(treeHash(root)).toBe(before);
  });

  it.skipIf(process.getuid?.() !== 0)('a user who is not root is told to use sudo, in one line', async () => {
    const result = await execa(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', 'node', CLI, 'stop-all'],
      { reject: false, stdin: 'ignore', env: { NO_COLOR: '1' } },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^cinectl: Stop everything changes this host and needs root — hint: run it with sudo/,
    );
    expect(result.stderr.split('\n')).toHaveLength(1);
  });

  it('a failed build shows its last lines and logs its output; its build copy is removed', async () => {
    const root = track(makeRoot());
    const source = track(
      makeFakeSource(
        'for (let i = 1; i <= 40; i++) console.log("compiling " + i);\nconsole.error("src/app.ts(3,1): error TS2304: Cannot find name \'boom\'.");\nprocess.exit(2);\n',
      ),
    );
    const result = await cinectl(['--root', root, 'deploy-app', 'myapp', '--source', source, '--ports', '8013']);
    expect(result.exitCode).toBe(1);
    // Before the error: the progress display's own line for the failed step.
    const lines = result.stderr.trimEnd().split('\n');
    const [line, ...details] = lines.slice(lines.findIndex((text) => text.startsWith('cinectl: ')));
    expect(line).toMatch(
      /^cinectl: failed at step \d+ \(Build the web package\): pnpm --filter @cinestream\/web build exited with code 2/,
    );
    expect(details.length).toBeLessThanOrEqual(10);
    expect(details.join('\n')).toContain("  | src/app.ts(3,1): error TS2304: Cannot find name 'boom'.");
    const failed = logLines(root).find((entry) => entry.message === 'command failed');
    expect(failed?.output).toContain('compiling 40');
    expect(failed?.output).toContain('error TS2304');
    expect(await leftoverBuildCopies(root, 'myapp')).toEqual([]);
  });

  it('Ctrl-C during a deploy: one line, exit 130, the step named in the log, the build copy removed; the next run removes the staging', async () => {
    const root = track(makeRoot());
    const source = track(makeFakeSource('setTimeout(() => {}, 60_000);\n'));
    const run = execa('node', [CLI, '--root', root, 'deploy-app', 'myapp', '--source', source, '--ports', '8013'], {
      reject: false,
      stdin: 'ignore',
      env: { NO_COLOR: '1' },
    });
    const log = join(root, 'var/log/cinectl.log');
    while (!(existsSync(log) && readFileSync(log, 'utf8').includes('web build'))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    run.kill('SIGINT');
    const result = await run;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toMatch(
      /^cinectl: interrupted at step \d+ \(Build the web package\); already done: .* — hint: run the same command again/,
    );
    expect(
      String(result.stderr)
        .trimEnd()
        .split('\n')
        .filter((text) => text.startsWith('cinectl: ')),
    ).toHaveLength(1);
    expect(logLines(root).find((entry) => entry.message === 'plan interrupted')?.title).toBe('Build the web package');
    expect(logLines(root).at(-1)).toMatchObject({
      message: 'audit',
      command: `cinectl --root ${root} deploy-app myapp --source ${source} --ports 8013`,
      sudoUser: null,
      exitCode: 130,
      result: expect.stringMatching(/^cinectl: interrupted at step/),
      start: expect.any(String),
      end: expect.any(String),
    });

    expect(await leftoverBuildCopies(root, 'myapp')).toEqual([]);

    mkdirSync(join(root, 'var/www/myapp/.staging-20250101T000000Z/node_modules'), { recursive: true });
    const copy = track(buildCopyPath(root, 'myapp', '20250101T000000Z'));
    mkdirSync(join(copy, 'node_modules'), { recursive: true });
    const dry = await cinectl(['--root', root, '--dry-run', 'deploy-app', 'myapp', '--source', source]);
    expect(dry.stdout).toContain('Remove /var/www/myapp/.staging-20250101T000000Z left by an interrupted deploy');
    expect(dry.stdout).toContain(`Remove the build copy ${copy} left by an interrupted deploy`);
  });
});

/** myapp's registry entry in its directory: one port, never deployed. */
function registerMyapp(appDir: string): void {
  writeFileSync(
    join(appDir, '.deploy_config'),
    serializeDeployConfig({
      name: 'myapp',
      ports: [8001],
      domain: null,
      created: '2025-01-01T00:00:00.000Z',
      release: null,
    }),
  );
}

describe.concurrent('rollback after a failed deploy and a retry', () => {
  it('goes to the previously live release, not to the failed attempt’s never-live copy', async () => {
    const root = track(makeRoot());
    const app = join(root, 'var/www/myapp');
    mkdirSync(app, { recursive: true });
    registerMyapp(app);
    const [live, failed, retry] = ['20250101T000000Z', '20250301T000000Z', '20250301T000500Z'];
    for (const release of [live, failed, retry]) mkdirSync(join(app, 'releases', release), { recursive: true });
    symlinkSync(`releases/${retry}`, join(app, 'current'));
    writeFileSync(
      join(app, '.release_history.json'),
      JSON.stringify({
        releases: {
          [live]: { commit: 'a'.repeat(40), built: '2025-01-01T00:00:00.000Z' },
          [failed]: { commit: 'c'.repeat(40), built: '2025-03-01T00:00:00.000Z' },
          [retry]: { commit: 'c'.repeat(40), built: '2025-03-01T00:05:00.000Z' },
        },
        live: [
          { release: live, at: '2025-01-01T00:01:00.000Z' },
          { release: retry, at: '2025-03-01T00:06:00.000Z' },
        ],
      }),
    );
    const listed = await cinectl(['--root', root, 'releases', 'myapp']);
    expect(listed.stdout).toContain(`   ${failed}  cccccccccccc  2025-03-01T00:00:00.000Z  never live\n`);
    expect(listed.stdout).toContain(`*  ${retry}  cccccccccccc  2025-03-01T00:05:00.000Z  2025-03-01T00:06:00.000Z\n`);

    const result = await cinectl(['--root', root, 'rollback', 'myapp']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(new RegExp(`^Roll myapp back to ${live}: `, 'm'));
    expect(readlinkSync(join(app, 'current'))).toBe(`releases/${live}`);
    const history = JSON.parse(readFileSync(join(app, '.release_history.json'), 'utf8'));
    expect(history.live.at(-1).release).toBe(live);

    const refused = await cinectl(['--root', root, 'rollback', 'myapp', '20990101T000000Z']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(
      /^cinectl: myapp has no release 20990101T000000Z — hint: cinectl releases myapp lists them\n$/,
    );
  });
});

describe.concurrent('remove-app --purge after a plain remove-app', () => {
  it('deletes what the plain one kept: the directory with .env, and the data', async () => {
    const root = track(makeRoot());
    const app = join(root, 'var/www/myapp');
    mkdirSync(join(app, 'releases'), { recursive: true });
    mkdirSync(join(root, 'var/lib/myapp'), { recursive: true });
    writeFileSync(join(app, '.env'), 'SECRET_KEY=0123456789abcdef0123456789abcdef\n');
    writeFileSync(join(root, 'var/lib/myapp/cinestream.db'), 'data');
    registerMyapp(app);
    expect((await cinectl(['--root', root, 'remove-app', 'myapp'])).exitCode).toBe(0);
    expect(existsSync(join(app, '.env'))).toBe(true);

    const purged = await cinectl(['--root', root, '--yes', 'remove-app', 'myapp', '--purge']);
    expect(purged.stderr).toBe('');
    expect(purged.exitCode).toBe(0);
    expect(purged.stdout).toMatch(/Delete what remained of myapp: 2 changed, 1 unchanged\n$/);
    expect(existsSync(app)).toBe(false);
    expect(existsSync(join(root, 'var/lib/myapp'))).toBe(false);
    expect((await cinectl(['--root', root, '--yes', 'remove-app', 'myapp', '--purge'])).stderr).toMatch(
      /there is no app named "myapp"/,
    );
  });
});

describe.concurrent('per-command help', () => {
  it('shows the global flags and an example', async () => {
    const help = await cinectl(['rollback', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/\nGlobal Options:\n(.*\n)* {2}--root <dir> /);
    expect(help.stdout).toMatch(/\nExamples:\n {2}\$ sudo cinectl rollback films\n/);
  });
});

describe.concurrent('the target Node.js', () => {
  it('older than 22.13 stops a deploy before anything is changed, with a clear line', async () => {
    const root = track(makeRoot());
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/bin/node'), '#!/bin/sh\necho v20.18.0\n', { mode: 0o755 });
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'deploy-app', 'myapp', '--ports', '8013']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      'cinectl: the site runs on /usr/bin/node, but it is v20.18.0, and the site needs 22.13 or newer — hint: install a current Node.js: sudo pacman -Syu nodejs\n',
    );
    expect(treeHash(root)).toBe(before);
  });
});
