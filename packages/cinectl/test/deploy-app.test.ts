import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leftoverBuildCopies } from '../src/commands/build-copy.ts';
import { parseDeployConfig } from '../src/state/deploy-config.ts';
import { BLOCK_SIZE, blockOf } from '../src/state/ports.ts';
import { cinectl } from './support/cli.ts';
import { listing } from './support/listing.ts';
import { makeRoot, removeRoot, treeHash } from './support/root.ts';

const REPO = join(import.meta.dirname, '../../..');
const LOG = 'var/log/cinectl.log';
const SLOW = { timeoutMs: 600_000 };

/** One throwaway root through a whole life: real build, real pnpm deploy, real nginx -t, real useradd/systemctl. */
describe('cinectl --root $TMP deploy-app, end to end', () => {
  const root = makeRoot();
  afterAll(() => removeRoot(root));
  const at = (path: string) => join(root, path);
  const config = (app: string) => parseDeployConfig(readFileSync(at(`var/www/${app}/.deploy_config`), 'utf8')).config;

  it('deploys myapp: account, release, .env, units, nginx', { timeout: 600_000 }, async () => {
    const checkout = listing(REPO);
    const result = await cinectl(['--root', root, 'deploy-app', 'myapp', '--source', REPO], SLOW);
    expect(result.stderr.split('\n').filter((line) => line && !line.startsWith('warning: port'))).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /\nDeploy myapp: \d+ changed, \d+ unchanged, \d+ skipped \(cannot act on a --root tree\)\n$/,
    );

    // The release is built in a copy in the temp directory, removed once built: the checkout is only read.
    expect(listing(REPO)).toEqual(checkout);
    expect(await leftoverBuildCopies(root, 'myapp')).toEqual([]);

    const deployed = config('myapp');
    const first = deployed?.ports[0] ?? 0;
    expect(blockOf(first)?.first).toBe(first);
    expect(deployed?.ports).toEqual(Array.from({ length: BLOCK_SIZE }, (_, i) => first + i));

    const release = readlinkSync(at('var/www/myapp/current'));
    expect(release).toBe(`releases/${deployed?.release}`);
    const releaseDir = at(`var/www/myapp/${release}`);
    expect(readdirSync(releaseDir).sort()).toEqual([
      '.source-fingerprint',
      'dist',
      'node_modules',
      'package.json',
      'src',
    ]);
    expect(existsSync(join(releaseDir, 'dist/server.js'))).toBe(true);
    // The API's description, which the site serves at /api/openapi.yaml from its dist.
    expect(readFileSync(join(releaseDir, 'dist/openapi.yaml'), 'utf8')).toMatch(/^openapi: 3\./);
    expect(existsSync(join(releaseDir, 'node_modules/express/package.json'))).toBe(true);
    expect(readdirSync(join(releaseDir, 'src')).sort()).toEqual(['public', 'views']);

    const passwd = readFileSync(at('etc/passwd'), 'utf8');
    const uid = Number(/^myapp:[^:]*:(\d+):/m.exec(passwd)?.[1]);
    const env = lstatSync(at('var/www/myapp/.env'));
    expect(env.mode & 0o7777).toBe(0o600);
    expect(env.uid).toBe(uid);
    const secret = /^SECRET_KEY=([0-9a-f]{64})$/m.exec(readFileSync(at('var/www/myapp/.env'), 'utf8'))?.[1];
    expect(secret).toBeDefined();
    expect(readFileSync(at(LOG), 'utf8')).not.toContain(secret);
    expect(result.stdout).not.toContain(secret);

    expect(readFileSync(at('etc/systemd/system/myapp@.service'), 'utf8')).toContain('User=myapp');
    for (const port of deployed?.ports ?? []) {
      expect(readFileSync(at(`etc/systemd/system/myapp@${port}.service.d/cpu.conf`), 'utf8')).toMatch(/CPUAffinity=\d/);
      expect(readlinkSync(at(`etc/systemd/system/multi-user.target.wants/myapp@${port}.service`))).toBe(
        '/etc/systemd/system/myapp@.service',
      );
    }
    const nginxConf = readFileSync(at('etc/nginx/nginx.conf'), 'utf8');
    expect(nginxConf.match(/include cinectl\/\*\.conf;/g)).toHaveLength(1);
    expect(readFileSync(at('etc/nginx/cinectl/app-myapp.conf'), 'utf8')).toContain(`127.0.0.1:${first}`);
  });

  it('a second run on the converged root changes nothing and keeps the secret', { timeout: 600_000 }, async () => {
    const env = readFileSync(at('var/www/myapp/.env'), 'utf8');
    const before = treeHash(root, { ignore: [LOG] });
    const result = await cinectl(['--root', root, 'deploy-app', 'myapp', '--source', REPO], SLOW);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/myapp: the source is unchanged since release \S+; no new release is built\n/);
    expect(result.stdout).toMatch(
      /\nDeploy myapp: 0 changed, \d+ unchanged, \d+ skipped \(cannot act on a --root tree\)\n$/,
    );
    expect(treeHash(root, { ignore: [LOG] })).toBe(before);
    expect(readFileSync(at('var/www/myapp/.env'), 'utf8')).toBe(env);
  });

  it('a dry run changes nothing, not even the log', async () => {
    const before = treeHash(root);
    const result = await cinectl([
      '--root',
      root,
      '--dry-run',
      'deploy-app',
      'myapp',
      '--source',
      REPO,
      '--workers',
      '2',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('    $ systemctl --root=');
    expect(result.stdout).toMatch(/dry run: [1-9]\d* to change/);
    expect(treeHash(root)).toBe(before);
  });

  it('refuses a rollback while there is only one release', async () => {
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'rollback', 'myapp']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^cinectl: myapp has no release older than \S+ to roll back to/);
    expect(treeHash(root)).toBe(before);
  });

  it('gives a second app the next block and both apps to nginx', { timeout: 600_000 }, async () => {
    const result = await cinectl(['--root', root, 'deploy-app', 'other', '--source', REPO, '--workers', '2'], SLOW);
    expect(result.exitCode).toBe(0);
    const mine = config('myapp')?.ports[0] ?? 0;
    const other = config('other')?.ports ?? [];
    expect(other).toHaveLength(2);
    expect(other[0]).toBeGreaterThan(mine);
    expect(blockOf(other[0] ?? 0)?.first).toBe(other[0]);
    expect(readdirSync(at('etc/nginx/cinectl')).sort()).toEqual([
      'app-myapp.conf',
      'app-other.conf',
      'http.conf',
      'localhost.conf',
      'proxy.inc',
    ]);
  });

  it('removes an app but keeps its data; --purge deletes it', { timeout: 120_000 }, async () => {
    const ports = config('myapp')?.ports ?? [];
    const removed = await cinectl(['--root', root, 'remove-app', 'myapp']);
    expect(removed.exitCode).toBe(0);
    expect(existsSync(at('var/www/myapp/.deploy_config'))).toBe(false);
    expect(existsSync(at('etc/systemd/system/myapp@.service'))).toBe(false);
    expect(existsSync(at(`etc/systemd/system/myapp@${ports[0]}.service.d`))).toBe(false);
    const wants = readdirSync(at('etc/systemd/system/multi-user.target.wants'));
    expect(wants.filter((name) => name.startsWith('myapp@'))).toEqual([]);
    expect(wants.filter((name) => name.startsWith('other@'))).toHaveLength(2);
    expect(existsSync(at('etc/nginx/cinectl/app-myapp.conf'))).toBe(false);
    expect(existsSync(at('var/www/myapp/.env'))).toBe(true);
    expect(existsSync(at('var/lib/myapp'))).toBe(true);
    expect((await cinectl(['--root', root, 'remove-app', 'myapp'])).exitCode).toBe(2);

    const purged = await cinectl(['--root', root, '--yes', 'remove-app', 'other', '--purge']);
    expect(purged.exitCode).toBe(0);
    expect(existsSync(at('var/www/other'))).toBe(false);
    expect(existsSync(at('var/lib/other'))).toBe(false);
    expect(readFileSync(at('etc/passwd'), 'utf8')).not.toMatch(/^other:/m);
    expect(readdirSync(at('etc/nginx/cinectl'))).toEqual([]);
  });
});
