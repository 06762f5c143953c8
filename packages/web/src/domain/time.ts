import type { Day } from './model.ts';

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar day written as `YYYY-MM-DD`. */
export function isDay(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function addDays(day: Day, count: number): Day {
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: Day, to: Day): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}

/** `count` consecutive days starting at `first`. */
export function dayRange(first: Day, count: number): Day[] {
  return Array.from({ length: count }, (_, index) => addDays(first, index));
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** One Intl.DateTimeFormat per locale and options, made once: making one costs far more than using it. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale} ${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** Per zone, the last answer and its minute: days change only on whole minutes, and this runs per request. */
const lastToday = new Map<string, { minute: number; day: Day }>();

/** The calendar day it is at `now` in `timeZone`. */
export function todayIn(timeZone: string, now: Date): Day {
  const minute = Math.floor(now.getTime() / 60_000);
  const last = lastToday.get(timeZone);
  if (last?.minute === minute) return last.day;
  const day = dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  lastToday.set(timeZone, { minute, day });
  return day;
}

/** The UTC offset (`+02:00`) in force in `timeZone` at `instant`. */
export function offsetAt(timeZone: string, instant: Date): string {
  const name =
    dateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' ? '+00:00' : name.slice(3);
}

/** ISO-8601 with the zone's offset for a wall-clock time, e.g. (`2026-07-01`, `19:30`, Europe/Kyiv) → `2026-07-01T19:30:00+03:00`. */
export function localIso(day: Day, time: string, timeZone: string): string {
  const wall = `${day}T${time}:00`;
  const guess = new Date(`${wall}Z`);
  // The offset at the guessed instant is right except within hours of a DST change; one correction settles it.
  let offset = offsetAt(timeZone, new Date(guess.getTime() - offsetMs(offsetAt(timeZone, guess))));
  const corrected = offsetAt(timeZone, new Date(guess.getTime() - offsetMs(offset)));
  if (corrected !== offset) offset = corrected;
  return `${wall}${offset}`;
}

function offsetMs(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number) as [number, number];
  return sign * (hours * 60 + minutes) * 60_000;
}
