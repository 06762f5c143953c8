import { KEPT_RELEASES, RELEASE_NAME } from './layout.ts';

/** `20250314T091500Z` for the given time; `…Z-2`, `…Z-3` when that name is already taken. */
export function releaseName(now: Date, existing: readonly string[]): string {
  const base = `${now.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
  if (!existing.includes(base)) return base;
  for (let n = 2; ; n++) {
    const name = `${base}-${n}`;
    if (!existing.includes(name)) return name;
  }
}

export function sortReleases(names: readonly string[]): string[] {
  return names.filter((name) => RELEASE_NAME.test(name)).sort();
}

/** The release to go back to: the newest one older than `current`. */
export function previousRelease(releases: readonly string[], current: string): string | undefined {
  return sortReleases(releases)
    .filter((name) => name < current)
    .at(-1);
}

/** Releases to delete: all but the newest `keep`, never one of `protect` (the live and the previous release). */
export function releasesToPrune(
  releases: readonly string[],
  protect: readonly (string | null | undefined)[],
  keep = KEPT_RELEASES,
): string[] {
  const sorted = sortReleases(releases);
  const kept = new Set(sorted.slice(-keep));
  return sorted.filter((name) => !kept.has(name) && !protect.includes(name));
}

/** `releases/<name>`: the text of the `current` symlink (relative, so a --root tree is self-contained). */
export function releaseLink(name: string): string {
  return `releases/${name}`;
}

/** The release name a `current` link text points at, or null. */
export function releaseOfLink(link: string | null): string | null {
  if (link === null) return null;
  const name = link.replace(/\/+$/, '').split('/').at(-1) ?? '';
  return RELEASE_NAME.test(name) ? name : null;
}
