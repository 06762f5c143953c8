import type { Day } from '../domain/model.ts';
import { HORIZON_DAYS } from '../domain/planner.ts';
import { addDays, daysBetween, isDay } from '../domain/time.ts';
import { HttpError } from './http-error.ts';

/** Shown values are cut so an error message never echoes a huge input back. */
function shown(value: unknown): string {
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A `YYYY-MM-DD` query value, the fallback when absent; anything else is a 400. */
export function parseDay(value: unknown, fallback: Day): Day {
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !isDay(value))
    throw new HttpError(400, 'bad_date', 'error.badDate', { value: shown(value) });
  return value;
}

/** `from`/`to` of the showtimes API: default today and the rest of the horizon; at most HORIZON_DAYS long. */
export function parseRange(query: Record<string, unknown>, today: Day): { from: Day; to: Day } {
  const from = parseDay(query.from, today);
  const to = parseDay(query.to, addDays(from, HORIZON_DAYS - 1));
  const span = daysBetween(from, to);
  if (span < 0 || span >= HORIZON_DAYS) throw new HttpError(400, 'bad_range', 'error.badRange', { max: HORIZON_DAYS });
  return { from, to };
}

const FILTER_VALUE = /^[\p{L}\p{N} ._+-]{1,64}$/u;

/** An optional theater key or format from the query; empty means "all". */
export function parseFilter(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !FILTER_VALUE.test(value)) {
    throw new HttpError(400, 'bad_filter', 'error.badFilter', { value: shown(value) });
  }
  return value;
}
