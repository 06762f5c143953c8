import type { Day } from './model.ts';
import { dayRange } from './time.ts';

export const HORIZON_DAYS = 14;

/**
 * How the showtimes step slices its questions: per film per day (the default); per film for all missing
 * days; or `auto`, per film per day except for a refresh of one or two days, asked as one question per day
 * about all films.
 */
export const GRANULARITIES = ['movie-day', 'movie', 'auto'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The days of the horizon starting `today` that are not covered yet, in order. */
export function daysToFetch(coveredDays: readonly Day[], today: Day, horizonDays = HORIZON_DAYS): Day[] {
  const covered = new Set(coveredDays);
  return dayRange(today, horizonDays).filter((day) => !covered.has(day));
}
