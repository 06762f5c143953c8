import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testContext } from '../../test/support/context.ts';
import { makeRoot, removeRoot, treeHash } from '../../test/support/root.ts';
import { CinectlError, describeError, UsageError } from '../errors.ts';
import { webEnv } from '../plan/env.ts';
import { serializeDeployConfig } from '../state/deploy-config.ts';
import { deployApp } from './deploy-app.ts';

const REPO = join(import.meta.dirname, '../../../..');
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

function newRoot(nginx = true): string {
  const root = makeRoot({ nginx });
  roots.push(root);
  return root;
}

/** deploy-app as a dry run with a fixed clock, secret, core count and port probe: what it plans, not what it does. */
async function dryDeploy(root: string, world: Parameters<typeof testContext>[1] = {}, options = {}) {
  const ctx = testContext({ root, dryRun: true }, world);
  const before = treeHash(root);
  await deployApp(ctx, 'myapp', { source: REPO, ...options });
  expect(treeHash(root)).toBe(before);
  return { out: ctx.out.join('\n'), err: ctx.err };
}

describe('deploy-app (planning with a fixed world)', () => {
  it('names the release by the clock, pins by the core count and never shows the secret', async () => {
    const { out } = await dryDeploy(newRoot(), { now: '2025-03-14T09:15:00Z', cpuCount: 3, secret: 'b'.repeat(64) });
    expect(out).toContain('[12] Create release 20250314T091500Z');
    expect(out).toMatch(
      /\[after every outcome\] Remove the build copy \S+\/cinectl-build-[0-9a-f]{16}-myapp-20250314T091500Z\n/,
    );
    expect(out).toContain('Pin myapp@8001.service to CPU 0');
    expect(out).toContain('Pin myapp@8003.service to CPU 2');
    expect(out).toContain('Pin myapp@8004.service to CPU 0');
    expect(out).toContain('+SECRET_KEY=[REDACTED]');
    expect(out).not.toContain('b'.repeat(64));
    expect(out).toContain('"ports": [8001,8002,8003,8004,8005,8006,8007,8008,8009,8010,8011,8012]');
  });

  it('takes the next block with a warning when a port of the first is in use', async () => {
    const { out, err } = await dryDeploy(newRoot(), { probePort: async (port) => port !== 8007 });
    expect(err).toEqual(['warning: port 8007 is in use by another program, so ports 8001–8012 were skipped']);
    expect(out).toContain('"ports": [8013,8014,8015,8016,8017,8018,8019,8020,8021,8022,8023,8024]');
  });

  it('uses the first N ports for --workers N', async () => {
    const { out } = await dryDeploy(newRoot(), {}, { workers: '3' });
    expect(out).toContain('"ports": [8001,8002,8003]');
  });

  const MONGO_JSON = JSON.stringify({
    host: '127.0.0.1',
    port: 27017,
    admin: { user: 'cinectl-admin', password: 'd'.repeat(64) },
  });

  function withMongo(root: string, env?: string): string {
    mkdirSync(join(root, 'etc/cinectl'), { recursive: true });
    writeFileSync(join(root, 'etc/cinectl/mongo.json'), MONGO_JSON);
    if (env !== undefined) {
      mkdirSync(join(root, 'var/www/myapp'), { recursive: true });
      writeFileSync(join(root, 'var/www/myapp/.env'), env);
    }
    return root;
  }

  it("gives the app its own MongoDB user and MONGO_URI when the host has cinectl's MongoDB", async () => {
    const { out } = await dryDeploy(withMongo(newRoot()), { secret: 'b'.repeat(64) });
    expect(out).toMatch(
      /\] Create the MongoDB user myapp for the database myapp\n {4}skipped: cannot act on a --root tree/,
    );
    expect(out).toContain('+MONGO_URI=[REDACTED]');
    expect(out).toMatch(/\+After=network-online\.target mongodb\.service/);
    expect(out).not.toContain('b'.repeat(64));
    expect(out).not.toContain('d'.repeat(64));
  });

  /** What a dry run says about the .env: a content change shows as "secret values change". */
  const envPreview = (out: string) => {
    const start = out.indexOf('] Write /var/www/myapp/.env\n');
    return out.slice(start, out.indexOf('\n[', start));
  };

  it("keeps the app's MongoDB password on a redeploy, as it keeps SECRET_KEY", async () => {
    const mongoUri = `mongodb://myapp:${'c'.repeat(64)}@127.0.0.1:27017/myapp?authSource=myapp`;
    const ports = Array.from({ length: 12 }, (_, i) => 8001 + i);
    const vars = { app: 'myapp', ports, basePath: '/myapp', secretKey: 'e'.repeat(64), dataDir: '/var/lib/myapp' };
    const { out } = await dryDeploy(withMongo(newRoot(), webEnv({ ...vars, mongoUri })), { secret: 'b'.repeat(64) });
    expect(envPreview(out)).not.toContain('.env: secret values change');
    expect(envPreview(out)).toContain('owner 0:0 → myapp:myapp');
    const other = webEnv({ ...vars, mongoUri: mongoUri.replace('myapp:', 'other:') });
    const replaced = await dryDeploy(withMongo(newRoot(), other), { secret: 'b'.repeat(64) });
    expect(envPreview(replaced.out)).toContain('/var/www/myapp/.env: secret values change (not shown)');
  });

  it('refuses a broken MongoDB config and a host without nginx', async () => {
    const root = newRoot();
    mkdirSync(join(root, 'etc/cinectl'), { recursive: true });
    writeFileSync(join(root, 'etc/cinectl/mongo.json'), '{"uri":"mongodb://x"}');
    await expect(dryDeploy(root)).rejects.toThrow(/^\/etc\/cinectl\/mongo\.json is not valid: host /);
    const bare = dryDeploy(newRoot(false));
    await expect(bare).rejects.toBeInstanceOf(CinectlError);
    await expect(dryDeploy(newRoot(false))).rejects.toThrow(
      'nginx is not set up: /etc/nginx/nginx.conf does not exist',
    );
  });

  it('refuses a name that is already a system account of the host', async () => {
    const root = newRoot();
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0::/root:/bin/bash\nmyapp:x:990:990::/home/myapp:/bin/sh\n');
    const error = await dryDeploy(root).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe('a system account named "myapp" already exists and is not a cinectl app');
  });

  /** myapp deployed on 8001–8012, and a `cp -a` copy of its directory as /var/www/myapp-copy; nginx files for both. */
  function withCopiedApp(root: string): string {
    const entry = serializeDeployConfig({
      name: 'myapp',
      ports: Array.from({ length: 12 }, (_, i) => 8001 + i),
      domain: null,
      created: '2025-03-01T08:00:00.000Z',
      release: '20250301T080000Z',
    });
    mkdirSync(join(root, 'etc/nginx/cinectl'), { recursive: true });
    for (const dir of ['myapp', 'myapp-copy']) {
      mkdirSync(join(root, 'var/www', dir), { recursive: true });
      writeFileSync(join(root, 'var/www', dir, '.deploy_config'), entry);
      writeFileSync(join(root, `etc/nginx/cinectl/app-${dir}.conf`), `# ${dir}\n`);
    }
    return root;
  }

  it('deploys another app past a broken entry, with a warning that names it', async () => {
    const root = withCopiedApp(newRoot());
    const ctx = testContext({ root, dryRun: true });
    const before = treeHash(root);
    await deployApp(ctx, 'other', { source: REPO });
    expect(treeHash(root)).toBe(before);
    expect(ctx.err).toEqual([
      'warning: /var/www/myapp-copy/.deploy_config is not valid (names the app "myapp" but lives in /var/www/myapp-copy); ' +
        'myapp-copy is left as it is — hint: if /var/www/myapp-copy is a copy, move it out of /var/www; ' +
        'otherwise make the "name" field match the directory name',
    ]);
    const out = ctx.out.join('\n');
    // The next block: 8001–8012 stay taken by myapp and its copy.
    expect(out).toContain('"ports": [8013,8014,8015,8016,8017,8018,8019,8020,8021,8022,8023,8024]');
    // myapp's nginx file is rewritten; the copy's is left as it is, not removed.
    expect(out).toMatch(/\n {4}--- \/etc\/nginx\/cinectl\/app-myapp\.conf\n/);
    expect(out).not.toContain('app-myapp-copy.conf');
  });

  it('refuses to deploy the broken entry itself, naming its file and what to fix (exit 1)', async () => {
    const root = withCopiedApp(newRoot());
    const ctx = testContext({ root, dryRun: true });
    const before = treeHash(root);
    const error = await deployApp(ctx, 'myapp-copy', { source: REPO }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CinectlError);
    expect(error).not.toBeInstanceOf(UsageError);
    expect(describeError(error)).toEqual({
      line:
        'cinectl: /var/www/myapp-copy/.deploy_config is not valid (names the app "myapp" but lives in /var/www/myapp-copy)' +
        ' — hint: if /var/www/myapp-copy is a copy, move it out of /var/www; otherwise make the "name" field match the directory name',
      exitCode: 1,
    });
    expect(ctx.out).toEqual([]);
    expect(treeHash(root)).toBe(before);
  });
});
