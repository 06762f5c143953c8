/** init-server's checks of the host before anything is planned: pure, from facts gathered by host/server-facts.ts. */

const GIB = 1024 ** 3;
/**
 * MemTotal is what the kernel leaves after its own reservations: a 2 GB machine reports about 1.9 GiB, a 4 GB one
 * about 3.8 GiB. The limits allow for that so a machine sold as 2 GB passes.
 */
export const MIN_MEMORY_BYTES = 1.8 * GIB;
export const RECOMMENDED_MEMORY_BYTES = 3.6 * GIB;
/** Free space where packages, releases and databases go (the file system of /var). */
export const MIN_FREE_DISK_BYTES = 10 * GIB;

const ARCH_FAMILY = 'arch';

export interface OsRelease {
  id: string;
  idLike: string[];
  prettyName: string;
}

export interface PreflightFacts {
  superuser: boolean;
  /** /etc/os-release; null when the file is missing. */
  os: OsRelease | null;
  /** MemTotal; null when it could not be read. */
  memoryBytes: number | null;
  /** Free bytes on the file system of /var; null when it could not be measured. */
  freeDiskBytes: number | null;
  /** The first package mirror in pacman's configuration and whether it answered; null when none is configured. */
  mirror: { url: string; reachable: boolean } | null;
}

export type PreflightCheck = 'root' | 'os' | 'memory' | 'disk' | 'network';

export interface PreflightProblem {
  check: PreflightCheck;
  message: string;
  hint: string;
  /** --force goes on past it. */
  skippable: boolean;
}

export interface PreflightVerdict {
  /** The problems that stop init-server (the first one is reported). */
  refusals: PreflightProblem[];
  warnings: string[];
}

/** `KEY=value` lines, values optionally quoted (os-release(5)). */
export function parseOsRelease(text: string): OsRelease {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1] || match[2] === undefined) continue;
    values.set(match[1], match[2].replace(/^(["'])(.*)\1$/, '$2'));
  }
  const id = (values.get('ID') ?? '').toLowerCase();
  return {
    id,
    idLike: (values.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    prettyName: values.get('PRETTY_NAME') ?? values.get('NAME') ?? (id || 'an unknown system'),
  };
}

export function isArchFamily(os: OsRelease): boolean {
  return os.id === ARCH_FAMILY || os.idLike.includes(ARCH_FAMILY);
}

/** "1.9 GB" (powers of 1024, the way free -h counts). */
export function gigabytes(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GB`;
}

function osProblem(os: OsRelease | null): PreflightProblem | undefined {
  if (os && isArchFamily(os)) return undefined;
  return {
    check: 'os',
    message: os
      ? `this is ${os.prettyName} (ID=${os.id || 'unset'}), not an Arch-based system such as CachyOS`
      : 'this does not look like an Arch-based system: /etc/os-release is missing',
    hint: 'init-server installs with pacman and the AUR; run it on CachyOS or Arch Linux',
    skippable: false,
  };
}

function memoryProblem(bytes: number | null): PreflightProblem | undefined {
  if (bytes === null || bytes >= MIN_MEMORY_BYTES) return undefined;
  return {
    check: 'memory',
    message: `this machine has ${gigabytes(bytes)} of RAM; MongoDB, nginx and 12 workers need at least 2 GB`,
    hint: 'use a machine with more memory, or add --force to go on anyway',
    skippable: true,
  };
}

function diskProblem(bytes: number | null): PreflightProblem | undefined {
  if (bytes === null || bytes >= MIN_FREE_DISK_BYTES) return undefined;
  return {
    check: 'disk',
    message: `only ${gigabytes(bytes)} is free for /var; packages, releases and databases need at least 10 GB`,
    hint: 'free some space (e.g. sudo pacman -Sc) or grow the disk, or add --force to go on anyway',
    skippable: true,
  };
}

function networkProblem(mirror: PreflightFacts['mirror']): PreflightProblem | undefined {
  if (mirror?.reachable) return undefined;
  return {
    check: 'network',
    message: mirror
      ? `the package mirror ${mirror.url} does not answer`
      : 'pacman has no package mirror configured (no Server line in /etc/pacman.conf or the files it includes)',
    hint: mirror
      ? 'check the network and /etc/pacman.d/mirrorlist (cachyos-rate-mirrors picks working mirrors), or add --force'
      : 'restore /etc/pacman.conf and /etc/pacman.d/mirrorlist, or add --force',
    skippable: true,
  };
}

/**
 * What stops init-server before it plans anything. Without root a real run is refused (a dry run only warns);
 * --force goes on past low memory, low disk and an unreachable mirror, never past a wrong system.
 */
export function preflight(facts: PreflightFacts, options: { force: boolean; dryRun: boolean }): PreflightVerdict {
  const refusals: PreflightProblem[] = [];
  const warnings: string[] = [];
  if (!facts.superuser) {
    const problem: PreflightProblem = {
      check: 'root',
      message: 'init-server changes the whole system and must run as root',
      hint: 'run it with sudo (sudo pnpm cinectl init-server), or look first with --dry-run',
      skippable: false,
    };
    if (options.dryRun) warnings.push(`${problem.message}; this dry run shows what a run with sudo would do`);
    else refusals.push(problem);
  }
  const problems = [
    osProblem(facts.os),
    memoryProblem(facts.memoryBytes),
    diskProblem(facts.freeDiskBytes),
    networkProblem(facts.mirror),
  ].filter((problem) => problem !== undefined);
  for (const problem of problems) {
    if (problem.skippable && options.force) warnings.push(`${problem.message} (going on: --force)`);
    else refusals.push(problem);
  }
  const memory = facts.memoryBytes;
  if (memory === null) warnings.push('could not read the amount of RAM from /proc/meminfo');
  else if (memory >= MIN_MEMORY_BYTES && memory < RECOMMENDED_MEMORY_BYTES) {
    warnings.push(
      `this machine has ${gigabytes(memory)} of RAM; 4 GB or more is recommended (consider deploy-app --workers 4)`,
    );
  }
  if (facts.freeDiskBytes === null) warnings.push('could not measure the free disk space of /var');
  return { refusals, warnings };
}
