import { chmod, cp, mkdtemp, readFile, rm, statfs, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CommandContext } from '../commands/context.ts';
import { CinectlError } from '../errors.ts';
import { isAccountName } from '../plan/account.ts';
import { type FirewallFacts, ufwAllowed } from '../plan/firewall.ts';
import { OS_RELEASE, PACMAN_CONF, PACMAN_DB, PROC_MEMINFO } from '../plan/layout.ts';
import { pacmanDeptest, pacmanQueryAll, pacmanScratchSync, pacmanScratchUpgrades } from '../plan/packages.ts';
import { type PreflightFacts, parseOsRelease } from '../plan/preflight.ts';
import { BUILD_USER, type Builder } from '../plan/yay.ts';
import { primaryGroup } from './accounts.ts';
import { hostPathExists, readHostFile } from './facts.ts';
import { lastLine } from './io.ts';
import { formatCommand, underRoot } from './root.ts';

/**
 * What init-server and uninit-server need to know about the machine besides its files and commands (which go
 * through the --root tree and ctx.io): the parts tests feed with their own values.
 */
export interface ServerProbes {
  /** MemTotal of /proc/meminfo in bytes; null when unreadable. */
  memoryBytes(): Promise<number | null>;
  /** Free bytes for root on the file system holding `path` (which exists); null when unmeasurable. */
  freeDiskBytes(path: string): Promise<number | null>;
  /** The account that ran `sudo cinectl …` ($SUDO_USER). */
  sudoUser(): string | undefined;
}

export const realServerProbes: ServerProbes = {
  async memoryBytes() {
    const text = await readFile(PROC_MEMINFO, 'utf8').catch(() => null);
    const kib = text === null ? undefined : /^MemTotal:\s+(\d+)\s+kB$/m.exec(text)?.[1];
    return kib === undefined ? null : Number(kib) * 1024;
  },
  async freeDiskBytes(path) {
    try {
      const stats = await statfs(path);
      return stats.bavail * stats.bsize;
    } catch {
      return null;
    }
  },
  sudoUser: () => process.env.SUDO_USER,
};

const MIRROR_TIMEOUT_MS = 5_000;
const MIRRORS_TRIED = 3;
const SYNC_TIMEOUT_MS = 180_000;

/** `Server =` URLs of pacman's repositories, in order, following `Include =` files ($repo filled in). */
export async function mirrorUrls(root: string): Promise<string[]> {
  const conf = await readHostFile(root, PACMAN_CONF);
  if (conf === null) return [];
  const urls: string[] = [];
  let section = '';
  for (const raw of conf.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1]) {
      section = header[1];
      continue;
    }
    if (section === '' || section === 'options') continue;
    const setting = /^(Server|Include)\s*=\s*(\S+)$/.exec(line);
    if (!setting?.[2]) continue;
    const servers =
      setting[1] === 'Server'
        ? [setting[2]]
        : ((await readHostFile(root, setting[2])) ?? '')
            .split('\n')
            .map((text) => /^\s*Server\s*=\s*(\S+)/.exec(text)?.[1])
            .filter((url) => url !== undefined);
    urls.push(...servers.map((url) => url.replaceAll('$repo', section)));
  }
  return [...new Set(urls)];
}

async function mirrorAnswers(ctx: CommandContext, url: string): Promise<boolean> {
  if (url.startsWith('file://')) {
    const dir = url.slice('file://'.length).split('$')[0] ?? '';
    return dir.startsWith('/') && hostPathExists('/', dir);
  }
  let origin: string;
  try {
    origin = new URL(url.split('$')[0] ?? url).origin;
  } catch {
    return false;
  }
  return (await ctx.io.httpGet(`${origin}/`, MIRROR_TIMEOUT_MS)) !== undefined;
}

async function firstMirror(ctx: CommandContext): Promise<PreflightFacts['mirror']> {
  const urls = (await mirrorUrls(ctx.options.root)).slice(0, MIRRORS_TRIED);
  for (const url of urls) if (await mirrorAnswers(ctx, url)) return { url, reachable: true };
  const first = urls[0];
  return first === undefined ? null : { url: first, reachable: false };
}

/** The deepest existing directory on the way to `path` (a fresh tree may have no /var yet). */
async function existingDir(root: string, path: string): Promise<string> {
  let current = path;
  while (current !== '/' && !(await hostPathExists(root, current))) current = dirname(current);
  return underRoot(root, current);
}

export async function gatherPreflightFacts(ctx: CommandContext, probes: ServerProbes): Promise<PreflightFacts> {
  const { root } = ctx.options;
  const osText = await readHostFile(root, OS_RELEASE);
  return {
    superuser: ctx.io.isSuperuser(),
    os: osText === null ? null : parseOsRelease(osText),
    memoryBytes: await probes.memoryBytes(),
    freeDiskBytes: await probes.freeDiskBytes(await existingDir(root, '/var')),
    mirror: await firstMirror(ctx),
  };
}

/** Of `names`, those no installed package satisfies (by name or by what a package provides). */
export async function missingPackages(ctx: CommandContext, names: readonly string[]): Promise<string[]> {
  const argv = pacmanDeptest(names, ctx.options.root);
  const result = await ctx.io.exec(argv);
  if (result.exitCode === 0 && !result.failure) return [];
  if (result.exitCode === 127 && !result.failure) {
    const missing = new Set(result.stdout.split('\n').map((line) => line.trim()));
    return names.filter((name) => missing.has(name));
  }
  throw new CinectlError(`could not ask pacman which packages are installed (${lastLine(result)})`, {
    hint: `run ${formatCommand(argv)} to see why`,
  });
}

/** Exact names of the installed packages among `names` (what `pacman -R` accepts). */
export async function installedPackages(ctx: CommandContext, names: readonly string[]): Promise<string[]> {
  const result = await ctx.io.exec(pacmanQueryAll(ctx.options.root));
  if (result.exitCode !== 0 || result.failure) return [];
  const installed = new Set(result.stdout.split('\n').map((line) => line.trim().split(/\s+/)[0]));
  return names.filter((name) => installed.has(name));
}

/**
 * Packages the mirrors have newer versions of, found the way checkupdates does it (fresh databases in a scratch
 * directory; the host's own stay untouched). null when that cannot be found out (no network, not root).
 */
export async function pendingUpgrades(ctx: CommandContext): Promise<string[] | null> {
  const { root } = ctx.options;
  const scratch = await mkdtemp(join(tmpdir(), 'cinectl-checkupdates-'));
  try {
    // pacman 7 downloads as an unprivileged user, which must be able to reach the scratch databases.
    await chmod(scratch, 0o755);
    const db = underRoot(root, PACMAN_DB);
    if (await hostPathExists(root, `${PACMAN_DB}/local`)) await symlink(join(db, 'local'), join(scratch, 'local'));
    if (await hostPathExists(root, `${PACMAN_DB}/sync`)) {
      await cp(join(db, 'sync'), join(scratch, 'sync'), { recursive: true, preserveTimestamps: true });
    }
    const sync = await ctx.io.exec(pacmanScratchSync(root, scratch), { timeoutMs: SYNC_TIMEOUT_MS });
    if (sync.exitCode !== 0 || sync.failure) return null;
    const query = await ctx.io.exec(pacmanScratchUpgrades(root, scratch));
    if (query.failure) return null;
    const names = query.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter(Boolean);
    if (query.exitCode === 0 || (query.exitCode === 1 && names.length === 0)) return names;
    return null;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** $SUDO_USER when it is an ordinary account of the host; otherwise cinectl's own build account. */
export async function findBuilder(ctx: CommandContext, probes: ServerProbes): Promise<Builder> {
  const sudoUser = probes.sudoUser();
  if (sudoUser && sudoUser !== 'root' && isAccountName(sudoUser)) {
    const group = await primaryGroup(ctx.options.root, sudoUser);
    if (group) return { user: sudoUser, group, dedicated: false };
  }
  return { user: BUILD_USER, group: BUILD_USER, dedicated: true };
}

function listed(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** The firewall that is installed and what it lets in. On a --root tree only whether one is installed. */
export async function gatherFirewallFacts(ctx: CommandContext): Promise<FirewallFacts> {
  const missing = await missingPackages(ctx, ['ufw', 'firewalld']);
  const live = ctx.options.root === '/';
  const run = async (argv: string[]) => (live ? ctx.io.exec(argv) : undefined);
  if (!missing.includes('ufw')) {
    const status = await run(['ufw', 'status']);
    const added = await run(['ufw', 'show', 'added']);
    return {
      kind: 'ufw',
      active: /^Status:\s*active/m.test(status?.stdout ?? ''),
      rules: (added?.stdout ?? '').split('\n').flatMap(ufwAllowed),
    };
  }
  if (!missing.includes('firewalld')) {
    const state = await run(['firewall-cmd', '--state']);
    const running = state?.exitCode === 0 && state.stdout.trim() === 'running';
    const tool = running ? ['firewall-cmd', '--permanent'] : ['firewall-offline-cmd'];
    const services = await run([...tool, '--list-services']);
    const ports = await run([...tool, '--list-ports']);
    return {
      kind: 'firewalld',
      running,
      services: listed(services?.exitCode === 0 ? services.stdout : ''),
      ports: listed(ports?.exitCode === 0 ? ports.stdout : ''),
    };
  }
  return { kind: 'none' };
}
