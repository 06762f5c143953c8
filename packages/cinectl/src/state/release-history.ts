import { z } from 'zod';
import { RELEASE_NAME } from '../plan/layout.ts';

/**
 * `/var/www/<app>/.release_history.json`: each release's git commit and build time, and every time a release went
 * live (deploy or rollback). Rollback goes back to the release live before the current one, never to a release
 * a failed deploy built and never made live.
 */
const releaseName = z.string().regex(RELEASE_NAME);
const historySchema = z.object({
  releases: z.record(releaseName, z.object({ commit: z.string().nullable(), built: z.iso.datetime() })),
  live: z.array(z.object({ release: releaseName, at: z.iso.datetime() })),
});

export type ReleaseHistory = z.infer<typeof historySchema>;

/** Live entries kept: enough for any rollback, short enough to read. */
const KEPT_LIVE_ENTRIES = 50;

export const EMPTY_HISTORY: ReleaseHistory = { releases: {}, live: [] };

/** The file's text, or null when there is none; a damaged file counts as no history (rollback then goes by name). */
export function parseReleaseHistory(text: string | null): ReleaseHistory {
  if (text === null) return EMPTY_HISTORY;
  try {
    const parsed = historySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : EMPTY_HISTORY;
  } catch {
    return EMPTY_HISTORY;
  }
}

export function serializeReleaseHistory(history: ReleaseHistory): string {
  return `${JSON.stringify(history, null, 2)}\n`;
}

export function withBuilt(history: ReleaseHistory, release: string, commit: string | null, at: string): ReleaseHistory {
  return { ...history, releases: { ...history.releases, [release]: { commit, built: at } } };
}

/** A release went live at `at`; entries of releases not in `existing` (pruned) are dropped. */
export function withLive(
  history: ReleaseHistory,
  release: string,
  at: string,
  existing: readonly string[],
): ReleaseHistory {
  const kept = new Set([...existing, release]);
  return {
    releases: Object.fromEntries(Object.entries(history.releases).filter(([name]) => kept.has(name))),
    live: [...history.live, { release, at }].slice(-KEPT_LIVE_ENTRIES),
  };
}

/** The release that was live before `current` and still exists; undefined when the history does not say. */
export function previouslyLive(
  history: ReleaseHistory,
  current: string,
  existing: readonly string[],
): string | undefined {
  return history.live
    .map((entry) => entry.release)
    .reverse()
    .find((release) => release !== current && existing.includes(release));
}

/** When a release last went live, or null when it never did. */
export function lastLive(history: ReleaseHistory, release: string): string | null {
  return history.live.findLast((entry) => entry.release === release)?.at ?? null;
}
