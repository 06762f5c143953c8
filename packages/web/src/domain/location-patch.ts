import type { Location, LocationPatch } from './model.ts';

/** The city after `patch`: covered days a sorted union (minus days before `coveredFrom`); `progress: null` removes it. */
export function applyLocationPatch(location: Location, patch: LocationPatch): Location {
  const { progress, ...rest } = location;
  const next: Location = rest;
  const nextProgress = patch.progress === undefined ? progress : patch.progress;
  if (nextProgress) next.progress = { done: nextProgress.done, total: nextProgress.total };
  if (patch.status !== undefined) next.status = patch.status;
  if (patch.addCoveredDays) next.coveredDays = [...new Set([...location.coveredDays, ...patch.addCoveredDays])].sort();
  if (patch.coveredFrom !== undefined) {
    const from = patch.coveredFrom;
    next.coveredDays = next.coveredDays.filter((day) => day >= from);
  }
  if (patch.theaters) next.theaters = patch.theaters.map((theater) => ({ ...theater }));
  if (patch.nowPlaying) next.nowPlaying = structuredClone(patch.nowPlaying);
  if (patch.theatersFetchedAt !== undefined) next.theatersFetchedAt = patch.theatersFetchedAt;
  if (patch.moviesFetchedAt !== undefined) next.moviesFetchedAt = patch.moviesFetchedAt;
  if (patch.lastScrapeAt !== undefined) next.lastScrapeAt = patch.lastScrapeAt;
  if (patch.heartbeatAt !== undefined) next.heartbeatAt = patch.heartbeatAt;
  return next;
}
