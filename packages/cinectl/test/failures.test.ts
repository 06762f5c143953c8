import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cinectl } from './support/cli.ts';
import { makeFakeSource } from './support/fake-source.ts';
import { makeRoot, removeRoot, treeHash } from './support/root.ts';

const dirs: string[] = [];
afterEach(() => {
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

describe('a failure keeps its message', () => {
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

  it('a failed build shows its last lines and logs its output', async () => {
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
  });

  it('Ctrl-C during a deploy: one line, exit 130, the step named in the log; the next run removes the staging', async () => {
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

    mkdirSync(join(root, 'var/www/myapp/.staging-20250101T000000Z/node_modules'), { recursive: true });
    const dry = await cinectl(['--root', root, '--dry-run', 'deploy-app', 'myapp', '--source', source]);
    expect(dry.stdout).toContain('Remove /var/www/myapp/.staging-20250101T000000Z left by an interrupted deploy');
  });
});
