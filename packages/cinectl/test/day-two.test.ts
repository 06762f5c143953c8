import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeDeployConfig } from '../src/state/deploy-config.ts';
import { cinectl } from './support/cli.ts';
import { makeRoot, removeRoot, treeHash } from './support/root.ts';

const WEB_DIST = join(import.meta.dirname, '../../web/dist');
const RELEASE = '20250314T091500Z';
const roots: string[] = [];
afterAll(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

/** An app whose live release is the web package as built for the tests (its dist, with the config check). */
function appWithRelease(siteEnv: string): { root: string; siteEnvFile: string } {
  const root = makeRoot();
  roots.push(root);
  const dir = join(root, 'var/www/films');
  mkdirSync(join(dir, 'releases', RELEASE), { recursive: true });
  symlinkSync(WEB_DIST, join(dir, 'releases', RELEASE, 'dist'));
  symlinkSync(`releases/${RELEASE}`, join(dir, 'current'));
  writeFileSync(
    join(dir, '.deploy_config'),
    serializeDeployConfig({
      name: 'films',
      ports: [8013],
      domain: null,
      created: '2025-03-14T09:15:00.000Z',
      release: RELEASE,
    }),
  );
  writeFileSync(join(dir, '.env'), `NODE_ENV=production\nSECRET_KEY=${'f'.repeat(64)}\nBASE_PATH=/films\n`, {
    mode: 0o600,
  });
  writeFileSync(join(dir, 'site.env'), siteEnv, { mode: 0o600 });
  return { root, siteEnvFile: join(dir, 'site.env') };
}

describe.concurrent('cinectl env', () => {
  it('a value the site refuses is refused with the site’s message; site.env stays byte-identical', async () => {
    const { root, siteEnvFile } = appWithRelease('# mine\nGEMINI_MODEL=flash\n');
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'env', 'films', 'set', 'GEMINI_CONCURRENCY=500', 'GEMINI_MODEL=pro']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'cinectl: films\'s configuration refuses this value: GEMINI_CONCURRENCY: must be 1–64 (got "500") — hint: site.env is left as it is; fix the value and run the command again\n',
    );
    expect(readFileSync(siteEnvFile, 'utf8')).toBe('# mine\nGEMINI_MODEL=flash\n');
    expect(treeHash(root)).toBe(before);
  });

  it('set and unset edit site.env (0600) after the check; env shows secrets redacted unless --reveal', async () => {
    const { root, siteEnvFile } = appWithRelease('GEMINI_MODEL=flash\n');
    const set = await cinectl(['--root', root, 'env', 'films', 'set', 'GEMINI_MODEL=pro', 'GEMINI_API_KEY=k3y']);
    expect(set.stderr).toBe('');
    expect(set.stdout).toMatch(/Set films's GEMINI_MODEL, GEMINI_API_KEY: 1 changed, 0 unchanged, 1 skipped/);
    expect(readFileSync(siteEnvFile, 'utf8')).toBe('GEMINI_MODEL=pro\nGEMINI_API_KEY=k3y\n');
    expect(statSync(siteEnvFile).mode & 0o777).toBe(0o600);

    const shown = await cinectl(['--root', root, 'env', 'films']);
    expect(shown.stdout).toContain('\n# /var/www/films/site.env\nGEMINI_MODEL=pro\nGEMINI_API_KEY=[REDACTED]\n');
    expect(shown.stdout).toContain('SECRET_KEY=[REDACTED]\n');
    expect(shown.stdout).not.toContain('k3y');
    expect((await cinectl(['--root', root, 'env', 'films', '--reveal'])).stdout).toContain('GEMINI_API_KEY=k3y\n');

    const unset = await cinectl(['--root', root, 'env', 'films', 'unset', 'GEMINI_API_KEY']);
    expect(unset.exitCode).toBe(0);
    expect(readFileSync(siteEnvFile, 'utf8')).toBe('GEMINI_MODEL=pro\n');
  });
});

/** Debian's systemd-journal-remote writes real journal files from journald's export format (setup.sh --test). */
const JOURNAL_REMOTE = ['/usr/lib/systemd/systemd-journal-remote', '/lib/systemd/systemd-journal-remote'].find(
  (path) => process.env.CINESTREAM_TEST_NO_TOOLS !== '1' && existsSync(path),
);
const MACHINE_ID = '0123456789abcdef0123456789abcdef';

/** A journal file in the tree's /var/log/journal with one line per unit, in journald's export format. */
function writeJournal(root: string, lines: { unit: string; message: string }[]): void {
  const dir = join(root, 'var/log/journal', MACHINE_ID);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'etc/machine-id'), `${MACHINE_ID}\n`);
  const entries = lines.map(
    ({ unit, message }, index) =>
      `__REALTIME_TIMESTAMP=${1741943700000000 + index * 1_000_000}\n__MONOTONIC_TIMESTAMP=${index + 1}\n` +
      `_BOOT_ID=fedcba9876543210fedcba9876543210\n_MACHINE_ID=${MACHINE_ID}\n_HOSTNAME=host\n` +
      `_SYSTEMD_UNIT=${unit}\nSYSLOG_IDENTIFIER=node\nMESSAGE=${message}\n\n`,
  );
  execFileSync(JOURNAL_REMOTE ?? 'systemd-journal-remote', [`--output=${join(dir, 'remote.journal')}`, '-'], {
    input: entries.join(''),
    stdio: ['pipe', 'ignore', 'ignore'],
  });
}

describe.concurrent('cinectl logs', () => {
  it.skipIf(!JOURNAL_REMOTE && !process.env.CI)(
    "on a --root tree: the app's workers' lines of the tree's own journal, one worker's with --worker",
    async () => {
      const { root } = appWithRelease('');
      const dir = join(root, 'var/www/films');
      writeFileSync(
        join(dir, '.deploy_config'),
        serializeDeployConfig({
          name: 'films',
          ports: [8013, 8014],
          domain: null,
          created: '2025-03-14T09:15:00.000Z',
          release: RELEASE,
        }),
      );
      writeJournal(root, [
        { unit: 'films@8013.service', message: 'listening on 127.0.0.1:8013' },
        { unit: 'other@8001.service', message: 'a line of another app' },
        { unit: 'films@8014.service', message: 'listening on 127.0.0.1:8014' },
      ]);
      const all = await cinectl(['--root', root, 'logs', 'films']);
      expect([all.exitCode, all.stderr]).toEqual([0, '']);
      expect(all.stdout.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^2025-03-14T09:15:00\S* host node: listening on 127\.0\.0\.1:8013$/),
        expect.stringMatching(/^2025-03-14T09:15:02\S* host node: listening on 127\.0\.0\.1:8014$/),
      ]);
      const one = await cinectl(['--root', root, 'logs', 'films', '--worker', '8014']);
      expect(one.stdout.trimEnd().split('\n')).toEqual([expect.stringMatching(/listening on 127\.0\.0\.1:8014$/)]);
    },
  );

  it("--nginx on a --root tree: the app's lines of nginx's access and error logs, nothing else", async () => {
    const { root } = appWithRelease('');
    writeFileSync(
      join(root, 'var/log/nginx/access.log'),
      '1.2.3.4 - - [14/Mar/2025:09:00:00 +0000] "GET /films/berlin HTTP/1.1" 200 512\n1.2.3.4 - - [14/Mar/2025:09:00:01 +0000] "GET /other/ HTTP/1.1" 200 10\n',
    );
    writeFileSync(
      join(root, 'var/log/nginx/error.log'),
      '2025/03/14 09:00:02 [error] 12#12: *1 connect() failed (111) while connecting to upstream, upstream: "http://127.0.0.1:8013/films/"\n',
    );
    const result = await cinectl(['--root', root, 'logs', 'films', '--nginx']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      '1.2.3.4 - - [14/Mar/2025:09:00:00 +0000] "GET /films/berlin HTTP/1.1" 200 512',
      '2025/03/14 09:00:02 [error] 12#12: *1 connect() failed (111) while connecting to upstream, upstream: "http://127.0.0.1:8013/films/"',
    ]);
  });
});

describe.concurrent('cinectl restart, start and stop on a --root tree', () => {
  it('plan the app’s workers and skip what needs the running systemd', async () => {
    const { root } = appWithRelease('');
    const restart = await cinectl(['--root', root, 'restart', 'films']);
    expect(restart.stdout).toMatch(
      /Restart films: 0 changed, 0 unchanged, 1 skipped \(cannot act on a --root tree\)\n$/,
    );
    const stop = await cinectl(['--root', root, '--dry-run', 'stop', 'films']);
    expect(stop.stdout).toContain('[1] Stop films@8013.service\n');
    const start = await cinectl(['--root', root, 'start', 'films']);
    expect(start.exitCode).toBe(0);
    expect(start.stdout).toMatch(/Start films: 0 changed, 0 unchanged, 2 skipped/);
  });
});
