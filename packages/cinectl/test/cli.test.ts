import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeDeployConfig } from '../src/state/deploy-config.ts';
import { cinectl } from './support/cli.ts';
import { makeRoot, removeRoot, treeHash } from './support/root.ts';

const REPO = join(import.meta.dirname, '../../..');
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

function newRoot(): string {
  const root = makeRoot();
  roots.push(root);
  return root;
}

function addApp(root: string, name: string, ports: number[], domain: string | null = null): void {
  mkdirSync(join(root, 'var/www', name), { recursive: true });
  writeFileSync(
    join(root, 'var/www', name, '.deploy_config'),
    serializeDeployConfig({ name, ports, domain, created: '2025-03-14T09:15:00.000Z', release: null }),
  );
}

const block = (first: number) => Array.from({ length: 12 }, (_, i) => first + i);

/** Bad input: exit 2, one line on stderr, nothing on stdout, the root exactly as before. */
async function expectRefused(root: string, args: string[], message: RegExp): Promise<void> {
  const before = treeHash(root);
  const result = await cinectl(['--root', root, ...args]);
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^cinectl: .* — hint: .+\n$/);
  expect(result.stderr).toMatch(message);
  expect(treeHash(root)).toBe(before);
}

describe('cinectl refuses bad input before planning', () => {
  it.each([
    ['../x', /app name "\.\.\/x" may contain only lowercase letters, digits and "-"/],
    ['A', /app name "A" must be 2–32 characters long/],
    ['a;b', /app name "a;b" may contain only/],
    ['x'.repeat(200), /must be 2–32 characters long \(it has 200\)/],
    ['nginx', /app name "nginx" is reserved/],
  ])('deploy-app %j', async (name, message) => {
    await expectRefused(newRoot(), ['deploy-app', name, '--source', REPO], message);
  });

  it('a port block taken by another app', async () => {
    const root = newRoot();
    addApp(root, 'other', block(8001));
    await expectRefused(
      root,
      ['deploy-app', 'myapp', '--source', REPO, '--ports', '8001'],
      /ports 8001–8012 are taken by the app "other"/,
    );
  });

  it('a --ports value that is not a block', async () => {
    await expectRefused(
      newRoot(),
      ['deploy-app', 'myapp', '--source', REPO, '--ports', '8005'],
      /not the start of a port block/,
    );
  });

  it('a missing source directory', async () => {
    await expectRefused(
      newRoot(),
      ['deploy-app', 'myapp', '--source', '/nonexistent/cinestream'],
      /source directory \/nonexistent\/cinestream does not exist/,
    );
  });

  it('a source directory that is not CineStream', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'not-cinestream-'));
    roots.push(elsewhere);
    await expectRefused(
      newRoot(),
      ['deploy-app', 'myapp', '--source', elsewhere],
      /does not look like a CineStream checkout/,
    );
  });

  it('a worker count out of range', async () => {
    await expectRefused(
      newRoot(),
      ['deploy-app', 'myapp', '--source', REPO, '--workers', '13'],
      /--workers "13" must be a whole number from 1 to 12/,
    );
  });

  it('an app that does not exist (rollback, remove-app)', async () => {
    const root = newRoot();
    addApp(root, 'other', block(8001));
    await expectRefused(root, ['rollback', 'myapp'], /there is no app named "myapp" — hint: apps on this host: other/);
    await expectRefused(root, ['remove-app', 'myapp'], /there is no app named "myapp"/);
  });

  it('a rollback with no older release', async () => {
    const root = newRoot();
    addApp(root, 'myapp', block(8001));
    await expectRefused(root, ['rollback', 'myapp'], /myapp has no live release to roll back from/);
  });

  it('remove-app --purge without confirmation', async () => {
    const root = newRoot();
    addApp(root, 'myapp', block(8001));
    await expectRefused(
      root,
      ['remove-app', 'myapp', '--purge'],
      /--purge deletes the app's data and was not confirmed — hint: add --yes/,
    );
  });

  it('unknown options and commands', async () => {
    const root = newRoot();
    await expectRefused(root, ['deploy-app', 'myapp', '--bogus'], /unknown option '--bogus'/);
    await expectRefused(root, ['launch'], /unknown command 'launch'/);
    await expectRefused(root, ['deploy-app'], /missing required argument 'name'/);
  });

  it('a --root that is not a directory', async () => {
    const result = await cinectl(['--root', '/nonexistent/root', 'status']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'cinectl: --root /nonexistent/root is not a directory — hint: create it first, or leave out --root to act on this host\n',
    );
  });
});

describe('cinectl --dry-run', () => {
  it('prints the commands and redacted diffs of a deploy and changes nothing', async () => {
    const root = newRoot();
    const before = treeHash(root);
    const result = await cinectl([
      '--root',
      root,
      '--dry-run',
      'deploy-app',
      'myapp',
      '--source',
      REPO,
      '--ports',
      '8013',
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(treeHash(root)).toBe(before);
    const out = result.stdout;
    expect(out).toContain(`Deploy myapp (root ${root}): dry run, nothing is changed\n`);
    expect(out).toContain(
      `    $ useradd --prefix ${root} --system --user-group --home-dir /var/www/myapp --no-create-home --shell /usr/bin/nologin myapp\n`,
    );
    expect(out).toMatch(
      /\n {4}\$ pnpm --filter @cinestream\/web build {2}\(in \/\S+\/cinectl-build-[0-9a-f]{16}-myapp-\d{8}T\d{6}Z\)\n/,
    );
    expect(out).not.toContain(`(in ${REPO})`);
    expect(out).toMatch(/\+SECRET_KEY=\[REDACTED\]\n/);
    expect(out).not.toMatch(/SECRET_KEY=[0-9a-f]/);
    expect(out).toContain('    +CPUAffinity=');
    expect(out).toContain(`    $ systemctl --root=${root} enable myapp@8013.service\n`);
    expect(out).toContain('    +    include cinectl/*.conf;\n');
    expect(out).toMatch(
      /\ndry run: \d+ to change, \d+ unchanged, \d+ skipped \(cannot act on a --root tree\); nothing was changed\n$/,
    );
  });
});

describe('cinectl rollback', () => {
  it('points current at the previous release and records it; then there is nothing older', async () => {
    const root = newRoot();
    addApp(root, 'myapp', [8001, 8002]);
    for (const release of ['20250101T000000Z', '20250201T000000Z', '20250301T000000Z']) {
      mkdirSync(join(root, 'var/www/myapp/releases', release), { recursive: true });
    }
    symlinkSync('releases/20250201T000000Z', join(root, 'var/www/myapp/current'));

    const result = await cinectl(['--root', root, 'rollback', 'myapp']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /Roll myapp back to 20250101T000000Z: 3 changed, 0 unchanged, 1 skipped \(cannot act on a --root tree\)\n$/,
    );
    expect(readlinkSync(join(root, 'var/www/myapp/current'))).toBe('releases/20250101T000000Z');
    expect(JSON.parse(readFileSync(join(root, 'var/www/myapp/.deploy_config'), 'utf8')).release).toBe(
      '20250101T000000Z',
    );
    await expectRefused(
      root,
      ['rollback', 'myapp'],
      /myapp has no release older than 20250101T000000Z to roll back to/,
    );
  });
});

describe('cinectl status', () => {
  it('reports an empty host', async () => {
    const result = await cinectl(['--root', newRoot(), 'status', '--json']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      mongodb: { installed: false, state: null },
      nginx: { installed: false, state: null },
      apps: [],
    });
  });

  it('lists each worker of each app, not running under a root', async () => {
    const root = newRoot();
    addApp(root, 'myapp', [65011, 65012]);
    const before = treeHash(root);
    const json = JSON.parse((await cinectl(['--root', root, 'status', '--json'])).stdout);
    expect(json.apps).toEqual([
      {
        name: 'myapp',
        domain: null,
        url: 'http://localhost/myapp/',
        ports: [65011, 65012],
        release: null,
        certificate: null,
        backups: { timer: 'cinectl-backup@myapp.timer', enabled: null, last: null, count: 0 },
        workers: [
          { port: 65011, unit: 'myapp@65011.service', state: null, listening: false, healthy: false },
          { port: 65012, unit: 'myapp@65012.service', state: null, listening: false, healthy: false },
        ],
      },
    ]);
    const text = await cinectl(['--root', root, 'status']);
    expect(text.stdout).toContain(
      'myapp  http://localhost/myapp/  ports 65011–65012  release none  0/2 workers healthy\n  backups daily (cinectl-backup@myapp.timer unknown), no backup yet\n',
    );
    expect(text.stdout).toContain('  myapp@65011.service      n/a        not listening  no /healthz answer\n');
    expect(treeHash(root)).toBe(before);
  });

  it('lists a broken app as broken and goes on with the others; commands on it name the file and the fix', async () => {
    const root = newRoot();
    addApp(root, 'myapp', [65011]);
    mkdirSync(join(root, 'var/www/myapp-copy'), { recursive: true });
    writeFileSync(
      join(root, 'var/www/myapp-copy/.deploy_config'),
      readFileSync(join(root, 'var/www/myapp/.deploy_config')),
    );
    const result = await cinectl(['--root', root, 'status', '--json']);
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.apps.map((app: { name: string }) => app.name)).toEqual(['myapp']);
    expect(json.broken).toEqual([
      {
        name: 'myapp-copy',
        file: '/var/www/myapp-copy/.deploy_config',
        problems: ['names the app "myapp" but lives in /var/www/myapp-copy'],
        fix: 'if /var/www/myapp-copy is a copy, move it out of /var/www; otherwise make the "name" field match the directory name',
      },
    ]);
    const text = await cinectl(['--root', root, 'status']);
    expect(text.stdout).toContain(
      '\nmyapp-copy  BROKEN: /var/www/myapp-copy/.deploy_config is not valid (names the app "myapp" but lives in /var/www/myapp-copy)\n',
    );

    const before = treeHash(root);
    const refused = await cinectl(['--root', root, 'rollback', 'myapp-copy']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      'cinectl: /var/www/myapp-copy/.deploy_config is not valid (names the app "myapp" but lives in /var/www/myapp-copy) — hint: if /var/www/myapp-copy is a copy, move it out of /var/www; otherwise make the "name" field match the directory name\n',
    );
    expect((await cinectl(['--root', root, 'rollback', 'myapp'])).stderr).toMatch(/myapp has no live release/);
    expect(treeHash(root)).toBe(before);
  });
});

describe('start-all, stop-all, enable-autostart under --root', () => {
  it('enable units offline and skip what needs a running systemd', async () => {
    const root = newRoot();
    addApp(root, 'myapp', [8001, 8002]);
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    mkdirSync(join(root, 'usr/lib/systemd/system'), { recursive: true });
    const unit = '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n';
    writeFileSync(join(root, 'etc/systemd/system/myapp@.service'), unit);
    writeFileSync(join(root, 'usr/lib/systemd/system/nginx.service'), unit);

    const enable = await cinectl(['--root', root, 'enable-autostart']);
    expect(enable.exitCode).toBe(0);
    expect(enable.stdout).toMatch(/Start everything at boot: 3 changed, 0 unchanged\n$/);
    expect((await cinectl(['--root', root, 'enable-autostart'])).stdout).toMatch(/: 0 changed, 3 unchanged\n$/);

    const stop = await cinectl(['--root', root, 'stop-all']);
    expect(stop.stdout).toMatch(
      /Stop everything: 0 changed, 0 unchanged, 3 skipped \(cannot act on a --root tree\)\n$/,
    );
    const start = await cinectl(['--root', root, 'start-all']);
    expect(start.stdout).toMatch(/Start everything: 0 changed, 0 unchanged, 3 skipped/);
  });
});
