import { describe, expect, it } from 'vitest';
import {
  MIN_FREE_DISK_BYTES,
  MIN_MEMORY_BYTES,
  type PreflightFacts,
  parseOsRelease,
  preflight,
  RECOMMENDED_MEMORY_BYTES,
} from './preflight.ts';

const GIB = 1024 ** 3;
const CACHYOS = 'NAME="CachyOS Linux"\nPRETTY_NAME="CachyOS"\nID=cachyos\nID_LIKE=arch\n';
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n';

const healthy: PreflightFacts = {
  superuser: true,
  os: parseOsRelease(CACHYOS),
  memoryBytes: 8 * GIB,
  freeDiskBytes: 50 * GIB,
  mirror: { url: 'https://mirror.cachyos.org/repo/x86_64/cachyos', reachable: true },
};
const run = { force: false, dryRun: false };
const checks = (facts: PreflightFacts, options = run) => preflight(facts, options).refusals.map((r) => r.check);

describe('parseOsRelease', () => {
  it('reads ID, ID_LIKE and the pretty name, quoted or not', () => {
    expect(parseOsRelease(CACHYOS)).toEqual({ id: 'cachyos', idLike: ['arch'], prettyName: 'CachyOS' });
    expect(parseOsRelease("ID='arch'\n")).toEqual({ id: 'arch', idLike: [], prettyName: 'arch' });
    expect(parseOsRelease('ID=manjaro\nID_LIKE="arch archlinux"\n').idLike).toEqual(['arch', 'archlinux']);
  });
});

describe('preflight', () => {
  it('lets a healthy CachyOS or Arch host through without a word', () => {
    expect(preflight(healthy, run)).toEqual({ refusals: [], warnings: [] });
    expect(checks({ ...healthy, os: parseOsRelease('ID=arch\n') })).toEqual([]);
  });

  it('refuses each problem on its own', () => {
    expect(checks({ ...healthy, superuser: false })).toEqual(['root']);
    expect(checks({ ...healthy, os: parseOsRelease(DEBIAN) })).toEqual(['os']);
    expect(checks({ ...healthy, os: null })).toEqual(['os']);
    expect(checks({ ...healthy, memoryBytes: MIN_MEMORY_BYTES - 1 })).toEqual(['memory']);
    expect(checks({ ...healthy, freeDiskBytes: MIN_FREE_DISK_BYTES - 1 })).toEqual(['disk']);
    expect(checks({ ...healthy, mirror: { url: 'https://x.example/repo', reachable: false } })).toEqual(['network']);
    expect(checks({ ...healthy, mirror: null })).toEqual(['network']);
  });

  it('says what is wrong and what would be right', () => {
    const [debian] = preflight({ ...healthy, os: parseOsRelease(DEBIAN) }, run).refusals;
    expect(debian?.message).toBe(
      'this is Debian GNU/Linux 12 (bookworm) (ID=debian), not an Arch-based system such as CachyOS',
    );
    const [disk] = preflight({ ...healthy, freeDiskBytes: 4 * GIB }, run).refusals;
    expect(disk?.message).toBe('only 4.0 GB is free for /var; packages, releases and databases need at least 10 GB');
    expect(disk?.hint).toMatch(/--force/);
  });

  it('--force goes past memory, disk and network, never past a wrong system or a missing root', () => {
    const bad = { ...healthy, memoryBytes: GIB, freeDiskBytes: GIB, mirror: null };
    expect(checks(bad)).toEqual(['memory', 'disk', 'network']);
    const forced = preflight(bad, { force: true, dryRun: false });
    expect(forced.refusals).toEqual([]);
    expect(forced.warnings.filter((line) => line.endsWith('(going on: --force)'))).toHaveLength(3);
    expect(checks({ ...bad, superuser: false, os: null }, { force: true, dryRun: false })).toEqual(['root', 'os']);
  });

  it('a dry run without root only warns', () => {
    const verdict = preflight({ ...healthy, superuser: false }, { force: false, dryRun: true });
    expect(verdict.refusals).toEqual([]);
    expect(verdict.warnings).toEqual([expect.stringMatching(/must run as root; this dry run shows/)]);
  });

  it('warns under 4 GB of RAM, not at or above', () => {
    const low = preflight({ ...healthy, memoryBytes: RECOMMENDED_MEMORY_BYTES - 1 }, run);
    expect(low.refusals).toEqual([]);
    expect(low.warnings).toEqual([expect.stringMatching(/of RAM; 4 GB or more is recommended/)]);
    expect(preflight({ ...healthy, memoryBytes: RECOMMENDED_MEMORY_BYTES }, run).warnings).toEqual([]);
  });

  it('a machine sold as 2 GB passes (MemTotal ≈ 1.9 GiB), one with 1.5 GB does not', () => {
    expect(checks({ ...healthy, memoryBytes: 1_945_000 * 1024 })).toEqual([]);
    expect(checks({ ...healthy, memoryBytes: 1.5 * GIB })).toEqual(['memory']);
  });
});
