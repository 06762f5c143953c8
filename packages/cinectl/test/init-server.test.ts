// init-server as a command: preflight refusals leave the tree exactly as it was, a dry run shows every part, and
// the MongoDB + nginx + firewall part converges on a tree (real pacman, real nginx -t, real systemctl --root).
import { copyFileSync, existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initServer, installInput, setupInput } from '../src/commands/init-server.ts';
import { nginxHost } from '../src/commands/nginx-facts.ts';
import { applyPlan } from '../src/commands/run-plan.ts';
import { CinectlError, UsageError } from '../src/errors.ts';
import type { ServerProbes } from '../src/host/server-facts.ts';
import { installPlan, serverNginxConf, setupPlan } from '../src/plan/init-server.ts';
import { SUDOERS_FILE } from '../src/plan/layout.ts';
import { testContext } from './support/context.ts';
import { recordingIO } from './support/io.ts';
import { makePacmanRoot, standInRepo } from './support/pacman-repo.ts';
import { treeHash } from './support/root.ts';

const REPO = join(import.meta.dirname, '../../..');
const GIB = 1024 ** 3;
const LOG = 'var/log/cinectl.log';

const roomy: ServerProbes = {
  memoryBytes: async () => 8 * GIB,
  freeDiskBytes: async () => 100 * GIB,
  sudoUser: () => undefined,
};

let repo = '';
const roots: string[] = [];
beforeAll(async () => {
  repo = await standInRepo(
    ['nginx', 'git', 'nodejs', 'npm', 'pnpm', 'certbot', 'logrotate', 'certbot-nginx', 'base-devel'].map((name) => ({
      name,
    })),
  );
}, 120_000);
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function newRoot(): string {
  const root = makePacmanRoot(repo);
  roots.push(root);
  return root;
}

/** Runs init-server in-process against the tree; returns what it printed and the error it ended with. */
async function init(
  root: string,
  options: { force?: boolean; dryRun?: boolean; superuser?: boolean; probes?: Partial<ServerProbes> } = {},
  httpGet?: (url: string) => Promise<{ status: number; body: string } | undefined>,
) {
  const io = recordingIO({
    isSuperuser: () => options.superuser ?? true,
    ...(httpGet ? { httpGet: (url: string) => httpGet(url) } : {}),
  });
  const ctx = testContext({ root, dryRun: options.dryRun ?? false }, { io });
  const error = await initServer(ctx, { source: REPO, force: options.force ?? false }, { ...roomy, ...options.probes })
    .then(() => undefined)
    .catch((caught: unknown) => caught);
  return { ctx, io, error, out: ctx.out.join('\n'), err: ctx.err.join('\n') };
}

describe('init-server preflight: refuses and changes nothing', () => {
  it.each([
    ['not root', { superuser: false }, UsageError, /^init-server changes the whole system and must run as root$/],
    ['low disk', { probes: { freeDiskBytes: async () => 6 * GIB } }, CinectlError, /only 6\.0 GB is free for \/var/],
    ['low RAM', { probes: { memoryBytes: async () => 1 * GIB } }, CinectlError, /has 1\.0 GB of RAM; .* at least 2 GB/],
  ] as const)('%s', async (_name, options, kind, message) => {
    const root = newRoot();
    const before = treeHash(root);
    const { error, io, out } = await init(root, options);
    expect(error).toBeInstanceOf(kind);
    expect((error as Error).message).toMatch(message);
    expect((error as CinectlError).hint).toBeTruthy();
    expect(treeHash(root)).toBe(before);
    expect(io.commands).toEqual([]);
    expect(out).toBe('');
  });

  it('not an Arch system', async () => {
    const root = newRoot();
    writeFileSync(join(root, 'etc/os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n');
    const before = treeHash(root);
    const { error, io } = await init(root, { force: true });
    expect((error as Error).message).toBe(
      'init-server refused: this is Debian GNU/Linux 12 (bookworm) (ID=debian), not an Arch-based system such as CachyOS',
    );
    expect(treeHash(root)).toBe(before);
    expect(io.commands).toEqual([]);
  });

  it('no network to the mirrors (asked over HTTP), with the mirror named', async () => {
    const root = newRoot();
    mkdirSync(join(root, 'etc/pacman.d'));
    writeFileSync(join(root, 'etc/pacman.d/mirrorlist'), 'Server = https://mirror.example/archlinux/$repo/os/$arch\n');
    writeFileSync(
      join(root, 'etc/pacman.conf'),
      '[options]\nSigLevel = Never\n[core]\nInclude = /etc/pacman.d/mirrorlist\n',
    );
    const before = treeHash(root);
    const asked: string[] = [];
    const { error } = await init(root, {}, async (url) => {
      asked.push(url);
      return undefined;
    });
    expect((error as Error).message).toBe(
      'init-server refused: the package mirror https://mirror.example/archlinux/core/os/$arch does not answer',
    );
    expect(asked).toEqual(['https://mirror.example/']);
    expect(treeHash(root)).toBe(before);
  });

  it('--force goes past low RAM and low disk with warnings; under 4 GB RAM it warns', async () => {
    const root = newRoot();
    const before = treeHash(root);
    const probes = { memoryBytes: async () => 1 * GIB, freeDiskBytes: async () => 2 * GIB };
    const { error, err, out } = await init(root, { force: true, dryRun: true, probes });
    expect(error).toBeUndefined();
    expect(err).toMatch(/warning: this machine has 1\.0 GB of RAM; .* \(going on: --force\)/);
    expect(err).toMatch(/warning: only 2\.0 GB is free for \/var; .* \(going on: --force\)/);
    expect(out).toContain('== init-server 1/4');
    expect(treeHash(root)).toBe(before);

    const small = await init(root, { dryRun: true, probes: { memoryBytes: async () => 3 * GIB } });
    expect(small.error).toBeUndefined();
    expect(small.err).toMatch(/warning: this machine has 3\.0 GB of RAM; 4 GB or more is recommended/);
  });
});

describe('init-server stops at a failing step and says how to go on', () => {
  it('names the part, the step, the reason and what was done; the hint says to run it again', async () => {
    // A repository with only git in it (the one test/pacman.test.ts upgrades with).
    const partial = await standInRepo([{ name: 'git' }], '2.0');
    const root = makePacmanRoot(partial);
    roots.push(root);
    // As an earlier run that was killed during the AUR builds left it: the failing part takes the right back.
    mkdirSync(join(root, 'etc/sudoers.d'), { recursive: true });
    writeFileSync(join(root, SUDOERS_FILE), 'alice ALL=(root) NOPASSWD: /usr/bin/pacman\n', { mode: 0o440 });
    const { error } = await init(root);
    expect(existsSync(join(root, SUDOERS_FILE))).toBe(false);
    expect(error).toBeInstanceOf(CinectlError);
    const { message, hint } = error as CinectlError;
    expect(message).toMatch(
      /^init-server stopped in part 1\/4 \(packages \(pacman, then yay and MongoDB from the AUR\)\): failed at step 2 \(Install nginx, git, nodejs, npm, pnpm, certbot, logrotate, certbot-nginx, base-devel\): pacman .* exited with code 1: error: target not found: [a-z-]+; already done: Refresh the package databases .*; finished parts: none$/,
    );
    expect(hint).toBe(
      `see ${root}/var/log/cinectl.log, fix the cause and run cinectl init-server again: what is done is skipped`,
    );
  });
});

describe('init-server --dry-run on a fresh tree', () => {
  it('shows every part, says what cannot be known yet, and changes nothing', { timeout: 60_000 }, async () => {
    const root = newRoot();
    const before = treeHash(root);
    const { error, out } = await init(root, { dryRun: true });
    expect(error).toBeUndefined();
    const headers = out.split('\n').filter((line) => line.startsWith('== init-server'));
    expect(headers).toEqual([
      '== init-server 1/4: packages (pacman, then yay and MongoDB from the AUR)',
      '== init-server 2/4: MongoDB, nginx and the firewall',
      '== init-server 3/4: deploy-app cinestream',
      '== init-server 4/4: enable-autostart',
    ]);
    expect(out).toContain(
      `$ pacman --root ${root} --dbpath ${root}/var/lib/pacman --config ${root}/etc/pacman.conf -Syu`,
    );
    expect(out).toContain('+    include cinectl/*.conf;');
    expect(out).toContain('+        return 444;');
    // deploy-app needs nginx and pnpm from the parts before it.
    expect(out).toMatch(/^cannot be shown before the parts above have run: \S.*$/m);
    expect(out).toContain('dry run: after these parts cinestream answers at http://localhost/cinestream/');
    expect(treeHash(root)).toBe(before);
  });
});

describe('the MongoDB, nginx and firewall part on a tree', () => {
  it('installs nginx.conf (nginx -t passes), enables nginx, and a second run changes nothing', {
    timeout: 60_000,
  }, async () => {
    const root = newRoot();
    const io = recordingIO();
    const ctx = testContext({ root }, { io });
    // The packages part puts the stand-in nginx (with its unit) on the tree; mongodb-bin's unit stands for the AUR part.
    await applyPlan(ctx, installPlan(await installInput(ctx, roomy)));
    mkdirSync(join(root, 'etc/nginx'), { recursive: true });
    copyFileSync('/etc/nginx/mime.types', join(root, 'etc/nginx/mime.types'));
    mkdirSync(join(root, 'usr/lib/systemd/system'), { recursive: true });
    writeFileSync(
      join(root, 'usr/lib/systemd/system/mongodb.service'),
      '[Unit]\nDescription=MongoDB\n[Service]\nExecStart=/usr/bin/mongod\n[Install]\nWantedBy=multi-user.target\n',
    );

    const first = testContext({ root }, { io });
    const results = await applyPlan(first, setupPlan(await setupInput(first)));
    expect(results.filter((result) => result.outcome === 'changed').length).toBeGreaterThan(0);
    expect(readFileSync(join(root, 'etc/nginx/nginx.conf'), 'utf8')).toBe(serverNginxConf(nginxHost(root)));
    expect(io.commands.some((command) => command.startsWith('nginx -t -q -c'))).toBe(true);
    expect(readlinkSync(join(root, 'etc/systemd/system/multi-user.target.wants/nginx.service'))).toBe(
      '/usr/lib/systemd/system/nginx.service',
    );
    expect(first.err.join('\n')).toMatch(/no firewall \(ufw or firewalld\) is installed/);

    const before = treeHash(root, { ignore: [LOG] });
    const second = testContext({ root }, { io });
    await applyPlan(second, setupPlan(await setupInput(second)));
    expect(second.out.at(-1)).toMatch(/^Set up MongoDB, nginx and the firewall: 0 changed, \d+ unchanged/);
    expect(treeHash(root, { ignore: [LOG] })).toBe(before);
  });
});
