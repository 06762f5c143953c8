// Stand-ins for Arch's packages, built with Debian's makepkg into a local pacman repository, and throwaway roots
// whose pacman.conf points at it — so init-server's package steps run with the real pacman on a tree.
//
// One split PKGBUILD makes every stand-in (one small file each) in a single makepkg run; the repositories are kept
// in the temp directory under a hash of what they are built from, so a test run builds them once (a few seconds).
// makepkg refuses to run as root: as root it runs as `nobody` through runuser.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { commandPath } from '../../src/host/io.ts';

export interface StandIn {
  name: string;
  /** What the package provides besides its name (e.g. nodejs-lts-jod provides nodejs). */
  provides?: string[];
}

export const REPO_NAME = 'standins';

/** The unit Arch's nginx package ships, so `systemctl --root` can enable it on a tree. */
const NGINX_UNIT = `[Unit]
Description=A high performance web server and a reverse proxy server
After=network.target network-online.target nss-lookup.target

[Service]
Type=forking
PIDFile=/run/nginx.pid
ExecStartPre=/usr/bin/nginx -t -q -g 'pid /run/nginx.pid; daemon on; master_process on;'
ExecStart=/usr/bin/nginx -g 'pid /run/nginx.pid; daemon on; master_process on;'
ExecReload=/usr/bin/nginx -s reload
ExecStop=-/sbin/start-stop-daemon --quiet --stop --retry QUIT/5 --pidfile /run/nginx.pid

[Install]
WantedBy=multi-user.target
`;

function packageFunction(pkg: StandIn, version: string): string {
  // The one file: nginx's unit (so a tree can enable it), a marker file for the others.
  const body =
    pkg.name === 'nginx'
      ? `  mkdir -p "$pkgdir/usr/lib/systemd/system"\n  cat > "$pkgdir/usr/lib/systemd/system/nginx.service" <<'UNIT'\n${NGINX_UNIT}UNIT`
      : `  mkdir -p "$pkgdir/usr/share/standins"\n  echo '${pkg.name} ${version}' > "$pkgdir/usr/share/standins/${pkg.name}"`;
  const provides = pkg.provides ? `  provides=(${pkg.provides.join(' ')})\n` : '';
  return `package_${pkg.name}() {\n${provides}${body}\n}\n`;
}

/** One split package: every stand-in at the same version (makepkg lets split packages differ in little else). */
function pkgbuild(packages: readonly StandIn[], version: string): string {
  return [
    'pkgbase=standins',
    `pkgname=(${packages.map((pkg) => pkg.name).join(' ')})`,
    `pkgver=${version}`,
    'pkgrel=1',
    "pkgdesc='cinectl test stand-in'",
    'arch=(any)',
    'license=(MIT)',
    '',
    ...packages.map((pkg) => packageFunction(pkg, version)),
  ].join('\n');
}

async function makepkg(dir: string): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  const env = {
    PATH: commandPath(),
    BUILDDIR: join(dir, 'build'),
    PKGDEST: join(dir, 'out'),
    SRCDEST: join(dir, 'src'),
    PKGEXT: '.pkg.tar.gz',
  };
  const argv = ['makepkg', '--nodeps', '--noconfirm', '--nocheck'];
  const [file, ...args] = asRoot
    ? ['runuser', '-u', 'nobody', '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv]
    : argv;
  const result = await execa(file ?? 'makepkg', args, {
    cwd: dir,
    env,
    reject: false,
    all: true,
    stdin: 'ignore',
  });
  if (result.exitCode !== 0) throw new Error(`makepkg failed:\n${result.all}`);
}

/**
 * A pacman repository holding these stand-ins (built once per content, then reused). Returns its directory, with
 * the database `standins.db`.
 */
export async function standInRepo(packages: readonly StandIn[], version = '1.0'): Promise<string> {
  const text = pkgbuild(packages, version);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const repo = join(tmpdir(), `cinectl-standins-${hash}`);
  if (existsSync(join(repo, `${REPO_NAME}.db`))) return repo;

  const work = mkdtempSync(join(tmpdir(), 'cinectl-makepkg-'));
  try {
    chmodSync(work, 0o777);
    writeFileSync(join(work, 'PKGBUILD'), text, { mode: 0o644 });
    for (const dir of ['build', 'out', 'src']) {
      mkdirSync(join(work, dir));
      chmodSync(join(work, dir), 0o777);
    }
    await makepkg(work);
    const built = readdirSync(join(work, 'out')).map((name) => join(work, 'out', name));
    const result = await execa('repo-add', ['-q', join(work, 'out', `${REPO_NAME}.db.tar.gz`), ...built], {
      reject: false,
      all: true,
      env: { PATH: commandPath() },
    });
    if (result.exitCode !== 0) throw new Error(`repo-add failed:\n${result.all}`);
    chmodSync(join(work, 'out'), 0o755);
    try {
      renameSync(join(work, 'out'), repo);
    } catch (error) {
      // Another test file built the same repository meanwhile: theirs is as good.
      if (!existsSync(join(repo, `${REPO_NAME}.db`))) throw error;
    }
    return repo;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export const ARCH_OS_RELEASE = 'NAME="Arch Linux"\nPRETTY_NAME="Arch Linux"\nID=arch\nBUILD_ID=rolling\n';
export const CACHYOS_OS_RELEASE = 'NAME="CachyOS Linux"\nPRETTY_NAME="CachyOS"\nID=cachyos\nID_LIKE=arch\n';

/** pacman.conf of a throwaway root: the stand-in repository, no signatures, the package cache inside the root. */
export function pacmanConf(root: string, repo: string): string {
  return [
    '[options]',
    'Architecture = auto',
    'SigLevel = Never',
    `CacheDir = ${root}/var/cache/pacman/pkg/`,
    '',
    `[${REPO_NAME}]`,
    `Server = file://${repo}`,
    '',
  ].join('\n');
}

/**
 * Points a root's pacman at another repository (e.g. one with newer versions). pacman downloads a database only
 * when the server's copy is newer than the root's, and the repositories' own times say only when each was built:
 * the root's copies are dated back, so the next `pacman -Sy` reads the new repository whenever it was built.
 */
export function usePacmanRepo(root: string, repo: string): void {
  writeFileSync(join(root, 'etc/pacman.conf'), pacmanConf(root, repo));
  const sync = join(root, 'var/lib/pacman/sync');
  if (!existsSync(sync)) return;
  for (const name of readdirSync(sync)) utimesSync(join(sync, name), LONG_AGO, LONG_AGO);
}

const LONG_AGO = new Date('2000-01-01T00:00:00Z');

/** A throwaway root with an empty local pacman database, CachyOS's os-release and pacman.conf pointing at `repo`. */
export function makePacmanRoot(repo: string, into?: string): string {
  const root = into ?? mkdtempSync(join(tmpdir(), 'cinectl-pacman-root-'));
  for (const dir of ['etc', 'var/lib/pacman/local', 'var/cache/pacman/pkg', 'var/log']) {
    mkdirSync(join(root, dir), { recursive: true });
  }
  // What pacman writes into a new local database (an installed system always has one).
  writeFileSync(join(root, 'var/lib/pacman/local/ALPM_DB_VERSION'), '9\n');
  writeFileSync(join(root, 'etc/os-release'), CACHYOS_OS_RELEASE);
  usePacmanRepo(root, repo);
  return root;
}
