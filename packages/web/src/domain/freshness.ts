import type { Day } from './model.ts';
import { addDays, dayRange, localIso, todayIn } from './time.ts';

const HOUR_MS = 3_600_000;

/** What is known of one city-day: when its showtimes were last fetched in full, and how many came back. */
export interface DayRecord {
  fetchedAt: string;
  showtimes: number;
}

/** When cinemas publish their next week, in the city's own time: weekday 0 = Sunday … 6 = Saturday. */
export interface Publication {
  weekday: number;
  /** `HH:MM`. */
  time: string;
}

export interface FreshnessRules {
  /** Ukrainian cinemas publish the next cinema week (Thursday–Wednesday) on Monday evening. */
  publication: Publication;
  /** Today and tomorrow are asked again once their showtimes are older than this. */
  soonMaxAgeMs: number;
  /** An empty day is asked again once it is older than this. */
  emptyMaxAgeMs: number;
}

export const DEFAULT_RULES: FreshnessRules = {
  publication: { weekday: 1, time: '18:00' },
  soonMaxAgeMs: 12 * HOUR_MS,
  emptyMaxAgeMs: 24 * HOUR_MS,
};

export type AskReason = 'missing' | 'empty-before-publication' | 'empty-old' | 'soon-stale';

export interface Moment {
  now: Date;
  /** The city's day at `now`. */
  today: Day;
  /** The latest weekly publication at or before `now`. */
  publishedAt: Date;
}

/** The latest instant at or before `now` that is the publication weekday and time in `timeZone`. */
export function latestPublication(now: Date, timeZone: string, publication: Publication): Date {
  const today = todayIn(timeZone, now);
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay();
  const day = addDays(today, -((weekday - publication.weekday + 7) % 7));
  const at = new Date(localIso(day, publication.time, timeZone));
  return at.getTime() <= now.getTime() ? at : new Date(localIso(addDays(day, -7), publication.time, timeZone));
}

/** Why `day` must be asked again now, or null when what is stored is fresh enough (and always for a past day). */
export function askReason(day: Day, record: DayRecord | undefined, moment: Moment, rules: FreshnessRules) {
  if (day < moment.today) return null;
  if (!record) return 'missing' satisfies AskReason;
  const fetchedAt = Date.parse(record.fetchedAt);
  const age = moment.now.getTime() - fetchedAt;
  if (record.showtimes === 0) {
    if (fetchedAt < moment.publishedAt.getTime()) return 'empty-before-publication' satisfies AskReason;
    if (age > rules.emptyMaxAgeMs) return 'empty-old' satisfies AskReason;
  }
  if (day <= addDays(moment.today, 1) && age > rules.soonMaxAgeMs) return 'soon-stale' satisfies AskReason;
  return null;
}

/** The days of the horizon starting today that must be asked now, in order. */
export function daysToAsk(
  records: ReadonlyMap<Day, DayRecord>,
  at: { now: Date; timeZone: string; horizonDays: number },
  rules: FreshnessRules = DEFAULT_RULES,
): Day[] {
  const today = todayIn(at.timeZone, at.now);
  const moment = { now: at.now, today, publishedAt: latestPublication(at.now, at.timeZone, rules.publication) };
  return dayRange(today, at.horizonDays).filter((day) => askReason(day, records.get(day), moment, rules) !== null);
}
