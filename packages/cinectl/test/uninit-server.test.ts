// uninit-server on a tree that looks like a server after init-server: stand-in nginx installed with the real pacman,
// cinectl's nginx.conf, apps with units, releases, .env, nginx files and data, and the build account. Real pacman,
// nginx -t, systemctl --root, useradd/userdel --prefix.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nginxHost } from '../src/commands/nginx-facts.ts';
import { uninitServer } from '../src/commands/uninit-server.ts';
import { UsageError } from '../src/errors.ts';
import { commandPath } from '../src/host/io.ts';
import { serverNginxConf } from '../src/plan/init-server.ts';
import { BUILD_HOME, SUDOERS_FILE } from '../src/plan/layout.ts';
import { nginxFiles } from '../src/plan/nginx.ts';
import { pacmanInstall, pacmanRootOptions } from '../src/plan/packages.ts';
import { serviceUnit } from '../src/plan/systemd.ts';
import { BUILD_USER } from '../src/plan/yay.ts';
import { serializeDeployConfig } from '../src/state/deploy-config.ts';
import { cinectl } from './support/cli.ts';
import { testContext } from './support/context.ts';
import { recordingIO } from './support/io.ts';
import { makePacmanRoot, standInRepo } from './support/pacman-repo.ts';
import { treeHash } from './support/root.ts';

const APPS = [
  { name: 'films', ports: [8001, 8002] },
  { name: 'other', ports: [8013] },
];
const LOG = 'var/log/cinectl.log';

let repo = '';
const roots: string[] = [];
beforeAll(async () => {
  repo = await standInRepo([{ name: 'nginx' }, { name: 'git' }]);
}, 120_000);
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const tool = (argv: string[]) =>
  execa(argv[0] ?? '', argv.slice(1), { env: { PATH: commandPath() }, reject: false, all: true });

async function must(argv: string[]): Promise<void> {
  const result = await tool(argv);
  if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${result.all}`);
}

const installed = async (root: string) =>
  String((await tool(['pacman', ...pacmanRootOptions(root), '-Qq'])).stdout)
    .split('\n')
    .filter(Boolean);

/** A tree as init-server and two deploys leave it. */
async function serverTree(): Promise<string> {
  const root = makePacmanRoot(repo);
  roots.push(root);
  const at = (path: string) => join(root, path);
  await must(pacmanInstall(['nginx', 'git'], root).map((arg) => (arg === '-S' ? '-Sy' : arg)));
  mkdirSync(at('etc/nginx/cinectl'), { recursive: true });
  writeFileSync(at('etc/nginx/nginx.conf'), serverNginxConf(nginxHost(root)));
  copyFileSync('/etc/nginx/mime.types', at('etc/nginx/mime.types'));
  for (const [path, content] of nginxFiles(APPS, nginxHost(root))) {
    writeFileSync(at(`etc/nginx/${path}`), content);
  }
  for (const { name, ports } of APPS) {
    await must(['useradd', '--prefix', root, '--system', '--user-group', '--no-create-home', name]);
    const release = '20250314T091500Z';
    mkdirSync(at(`var/www/${name}/releases/${release}/dist`), { recursive: true });
    symlinkSync(`releases/${release}`, at(`var/www/${name}/current`));
    writeFileSync(at(`var/www/${name}/.env`), 'SECRET_KEY=x\n', { mode: 0o600 });
    writeFileSync(at(`var/www/${name}/site.env`), 'GEMINI_API_KEY=y\n', { mode: 0o600 });
    writeFileSync(
      at(`var/www/${name}/.deploy_config`),
      serializeDeployConfig({ name, ports, domain: null, created: '2025-03-14T09:15:00.000Z', release }),
    );
    mkdirSync(at(`var/lib/${name}`), { recursive: true });
    writeFileSync(at(`var/lib/${name}/cinestream.db`), `the data of ${name}`);
    mkdirSync(at('etc/systemd/system'), { recursive: true });
    const unit = serviceUnit({
      app: name,
      user: name,
      appDir: `/var/www/${name}`,
      dataDir: `/var/lib/${name}`,
      nodePath: '/usr/bin/node',
    });
    writeFileSync(at(`etc/systemd/system/${name}@.service`), unit);
    for (const port of ports) {
      mkdirSync(at(`etc/systemd/system/${name}@${port}.service.d`));
      writeFileSync(at(`etc/systemd/system/${name}@${port}.service.d/cpu.conf`), '[Service]\nCPUAffinity=0\n');
      await must(['systemctl', `--root=${root}`, 'enable', `${name}@${port}.service`]);
    }
  }
  await must(['useradd', '--prefix', root, '--system', '--user-group', '--no-create-home', BUILD_USER]);
  mkdirSync(at(BUILD_HOME.slice(1)), { recursive: true });
  mkdirSync(at('var/cache/cinectl/aur/yay-bin'), { recursive: true });
  mkdirSync(at('etc/sudoers.d'), { recursive: true });
  writeFileSync(at(SUDOERS_FILE.slice(1)), 'left by an interrupted run\n');
  return root;
}

async function uninit(root: string, packages: string | undefined, options: { purgeData?: boolean } = {}) {
  const ctx = testContext({ root, yes: true }, { io: recordingIO() });
  await uninitServer(ctx, packages, options);
  return ctx;
}

const accounts = (root: string) =>
  readFileSync(join(root, 'etc/passwd'), 'utf8')
    .split('\n')
    .map((line) => line.split(':')[0])
    .filter(Boolean);

describe('cinectl uninit-server refuses bad input and changes nothing', () => {
  it('a positional argument other than "yes": exit 2, one line', async () => {
    const root = await serverTree();
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'uninit-server', 'please']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^cinectl: uninit-server takes only the word "yes" \(got "please"\) — hint: .+\n$/);
    expect(treeHash(root)).toBe(before);
  });

  it('without --yes and without a terminal to ask on: not confirmed, exit 2', async () => {
    const root = await serverTree();
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'uninit-server', 'yes']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^cinectl: uninit-server was not confirmed; nothing was changed — hint: .*--yes/);
    expect(treeHash(root)).toBe(before);
  });

  it('a "no" at the question changes nothing; a "y" goes ahead', async () => {
    const root = await serverTree();
    const before = treeHash(root);
    const questions: string[] = [];
    const ctx = testContext({ root }, { io: recordingIO() });
    const asked = (answer: boolean) => ({
      ...ctx,
      confirm: async (question: string) => {
        questions.push(question);
        return answer;
      },
    });
    await expect(uninitServer(asked(false), 'yes', { purgeData: true })).rejects.toThrow(UsageError);
    expect(treeHash(root)).toBe(before);
    expect(questions[0]).toMatch(/^Remove every app \(films, other\): .*nginx packages.*DELETE the apps' data/);
    await uninitServer(asked(true), undefined, {});
    expect(existsSync(join(root, 'var/www/films'))).toBe(false);
  });
});

describe('cinectl uninit-server on a server tree', () => {
  it('removes apps, nginx files and the build account; keeps nginx, data and app accounts; again: 0 changed', async () => {
    const root = await serverTree();
    const data = (name: string) => treeHash(join(root, `var/lib/${name}`));
    const dataBefore = APPS.map(({ name }) => data(name));

    const ctx = await uninit(root, undefined);
    expect(ctx.out.at(-1)).toBe('Kept: the data in /var/lib/films, /var/lib/other and the MongoDB databases');
    const backup = 'var/backups/cinestream/20250314T091500Z';
    expect(ctx.out[0]).toBe(`Backups (databases, data directories, site.env files) go to /${backup}/`);
    expect(readFileSync(join(root, `${backup}/films.site.env`), 'utf8')).toBe('GEMINI_API_KEY=y\n');
    expect(statSync(join(root, `${backup}/films.site.env`)).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, backup)).mode & 0o777).toBe(0o700);
    for (const { name } of APPS) {
      expect(existsSync(join(root, `var/www/${name}`))).toBe(false);
      expect(existsSync(join(root, `etc/systemd/system/${name}@.service`))).toBe(false);
    }
    const wants = join(root, 'etc/systemd/system/multi-user.target.wants');
    expect(existsSync(wants) ? readdirSync(wants) : []).toEqual([]);
    expect(readdirSync(join(root, 'etc/nginx/cinectl'))).toEqual([]);
    expect(readFileSync(join(root, 'etc/nginx/nginx.conf'), 'utf8')).toBe(serverNginxConf(nginxHost(root)));
    expect(existsSync(join(root, SUDOERS_FILE.slice(1)))).toBe(false);
    expect(existsSync(join(root, 'var/cache/cinectl'))).toBe(false);
    expect(existsSync(join(root, BUILD_HOME.slice(1)))).toBe(false);
    expect(accounts(root)).not.toContain(BUILD_USER);
    expect(accounts(root)).toEqual(expect.arrayContaining(['films', 'other']));
    expect(APPS.map(({ name }) => data(name))).toEqual(dataBefore);
    expect(await installed(root)).toEqual(['git', 'nginx']);

    const before = treeHash(root, { ignore: [LOG] });
    const again = await uninit(root, undefined);
    expect(again.out.find((line) => line.startsWith('Remove every app'))).toMatch(/: 0 changed, /);
    expect(treeHash(root, { ignore: [LOG] })).toBe(before);
  });

  it('with "yes": also removes the nginx package (pacman -Rns), still keeps the data', async () => {
    const root = await serverTree();
    const data = () => APPS.map(({ name }) => treeHash(join(root, `var/lib/${name}`)));
    const dataBefore = data();
    const ctx = await uninit(root, 'yes');
    expect(ctx.out.join('\n')).toMatch(/Remove every app with the MongoDB and nginx packages: \d+ changed/);
    expect(await installed(root)).toEqual(['git']);
    expect(existsSync(join(root, 'usr/lib/systemd/system/nginx.service'))).toBe(false);
    expect(data()).toEqual(dataBefore);
  });

  it('--purge-data: the data directories and the app accounts go too', async () => {
    const root = await serverTree();
    await uninit(root, undefined, { purgeData: true });
    for (const { name } of APPS) expect(existsSync(join(root, `var/lib/${name}`))).toBe(false);
    expect(accounts(root)).not.toContain('films');
    expect(await installed(root)).toEqual(['git', 'nginx']);
  });

  it('--dry-run lists the removals and changes nothing', async () => {
    const root = await serverTree();
    const before = treeHash(root);
    const ctx = testContext({ root, dryRun: true }, { io: recordingIO() });
    await uninitServer(ctx, 'yes', {});
    const out = ctx.out.join('\n');
    expect(out).toContain(`$ pacman ${pacmanRootOptions(root).join(' ')} -Rns --noconfirm nginx`);
    expect(out).toContain('remove /etc/nginx/cinectl/app-films.conf');
    expect(treeHash(root)).toBe(before);
  });
});
