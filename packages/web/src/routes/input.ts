import type { Request } from 'express';
import type { Day } from '../domain/model.ts';
import { HORIZON_DAYS } from '../domain/planner.ts';
import type { Visitor } from '../domain/showtimes.ts';
import { addDays, daysBetween, isDay } from '../domain/time.ts';
import { HttpError } from './http-error.ts';

/** Shown values are cut so an error message never echoes a huge input back. */
function shown(value: unknown): string {
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** More than this many query parameters is refused: no page or API call takes more than a few. */
export const MAX_QUERY_PARAMETERS = 50;

/**
 * The app's query parser: every parameter as `name → value`, a repeated one as its values in order. Unlike
 * Express's default it drops none (that one stops at 1,000), so a bad value cannot hide behind junk.
 */
export function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(search)) {
    const had = query[name];
    if (had === undefined) query[name] = value;
    else if (Array.isArray(had)) had.push(value);
    else query[name] = [had, value];
  }
  return query;
}

/**
 * The values of a route's known parameters. Refused with a 400: more than MAX_QUERY_PARAMETERS parameters,
 * and a known one in array or object form (`from[]=`, `date[0]=`, `format[x]=`, `from.x=`), which other
 * parsers would read as that parameter. Other unknown parameters (`utm_source`, …) are ignored.
 */
export function knownParameters<Name extends string>(
  query: Record<string, unknown>,
  known: readonly Name[],
): Partial<Record<Name, unknown>> {
  const names = Object.keys(query);
  const count = names.reduce((sum, name) => sum + (Array.isArray(query[name]) ? query[name].length : 1), 0);
  if (count > MAX_QUERY_PARAMETERS)
    throw new HttpError(400, 'too_many_parameters', 'error.tooManyParameters', { max: MAX_QUERY_PARAMETERS });
  for (const name of names) {
    const base = /^[^[.]*/.exec(name)?.[0] ?? name;
    if (base !== name && (known as readonly string[]).includes(base))
      throw new HttpError(400, 'bad_parameter', 'error.badParameter', { name: shown(name) });
  }
  const values: Partial<Record<Name, unknown>> = {};
  for (const name of known) if (Object.hasOwn(query, name)) values[name] = query[name];
  return values;
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

/** Who asks; a HEAD request is answered like GET from what is stored, and starts no fetch. */
export function visitorOf(req: Request): Visitor {
  return { ip: req.ip ?? '', startsFetch: req.method !== 'HEAD' };
}
