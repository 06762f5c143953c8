import { type DayRecord, DEFAULT_RULES, daysToAsk, type FreshnessRules } from './freshness.ts';
import type { CityDay, Day, Location } from './model.ts';
import { dayRange } from './time.ts';

export const HORIZON_DAYS = 14;

/**
 * How the showtimes step slices its questions. By film, with Google Search: per film per day (`movie-day`);
 * per film for all asked days (`movie`); or `auto`, per film per day except for a refresh of up to three
 * days, asked as one question per day about all films. By cinema, reading its schedule page with URL context
 * (search only for a cinema without one): one question per cinema per day (`cinema-day`), or per cinema for
 * all asked days (`cinema-week`); answers name the film.
 */
export const GRANULARITIES = ['movie-day', 'movie', 'auto', 'cinema-day', 'cinema-week'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The days of the horizon starting `today` that are not covered yet, in order. */
export function daysToFetch(coveredDays: readonly Day[], today: Day, horizonDays = HORIZON_DAYS): Day[] {
  const covered = new Set(coveredDays);
  return dayRange(today, horizonDays).filter((day) => !covered.has(day));
}

/**
 * The days of the horizon to fetch now, by the freshness policy (freshness.ts) over the city's `city_days`.
 * A covered day without a record there (covered before records were kept, or by the sample source) counts as
 * fetched just now with showtimes: kept as it is, as before the policy.
 */
export function daysToFetchNow(
  location: Pick<Location, 'coveredDays' | 'timezone'>,
  cityDays: readonly CityDay[],
  now: Date,
  rules: FreshnessRules = DEFAULT_RULES,
  horizonDays = HORIZON_DAYS,
): Day[] {
  const records = new Map<Day, DayRecord>();
  for (const day of location.coveredDays) records.set(day, { fetchedAt: now.toISOString(), showtimes: 1 });
  for (const record of cityDays) {
    if (record.fetchedAt) records.set(record.day, { fetchedAt: record.fetchedAt, showtimes: record.showtimes });
  }
  return daysToAsk(records, { now, timeZone: location.timezone, horizonDays }, rules);
}
