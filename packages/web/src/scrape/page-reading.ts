import { createHash } from 'node:crypto';
import type { Day, Location, NowPlaying, SchedulePage, Theater } from '../domain/model.ts';
import { dayRange, todayIn } from '../domain/time.ts';
import { PAGE_SHOWTIMES_SCHEMA } from './answers.ts';
import type { AskRequest } from './gemini.ts';
import { dayOf, normalizeName } from './normalize.ts';
import { pageShowtimesPrompt } from './prompts.ts';
import { scheduleText } from './reading/schedule-text.ts';
import {
  type ShowingItem,
  type StructuredFilm,
  type StructuredSchedule,
  structuredSchedule,
} from './reading/structured.ts';
import type { PageFetcher, PageResult, PageValidators } from './web/fetcher.ts';

/**
 * The reading ladder of one cinema's schedule page, cheapest first: a page that has not changed (304, or the
 * same content as last time) asks nothing; schema.org `ScreeningEvent` data is taken as it is; the page's text
 * goes to the model without tools; a page without a schedule in its HTML is left to the model's own reading.
 */

/** Days a page read keeps: the horizon and a week past it, so a day entering the horizon is known already. */
export const PAGE_DAYS = 21;
/** A read holding fewer than this share of the showtimes per day of the read before is not trusted. */
const SHAPE_CHANGE_SHARE = 0.3;
/** Below this many showtimes in the read before, a drop says nothing. */
const SHAPE_CHANGE_MIN = 10;

export type PageVerdict =
  /** Nothing changed: the stored showtimes stand, with these counts per day. */
  | { kind: 'unchanged'; page: SchedulePage }
  /** Showings read from the page, in the item shape of a showtimes answer. */
  | { kind: 'items'; page: SchedulePage; items: unknown[]; filmItems: unknown[] }
  /**
   * The page's text, for the model to read without tools (`pageRequest`); its links are relative to `baseUrl`.
   * `cut`: the text ends before the page does, so its last days may be incomplete.
   */
  | { kind: 'ask'; page: SchedulePage; text: string; baseUrl: string; cut: boolean }
  /** The model must read or search the cinema itself; `mayReadPage` is false when robots.txt says no. */
  | { kind: 'model'; page: SchedulePage; mayReadPage: boolean };

export interface PageContext {
  location: Location;
  theater: Theater;
  previous: SchedulePage | undefined;
  now: Date;
}

/** The page a cinema's showtimes are read from, if it has one. */
export function pageUrlOf(theater: Theater): string | undefined {
  return theater.scheduleUrl ?? theater.url;
}

/** The days a page read covers, from today in the city. */
export function pageDays(location: Location, now: Date): Day[] {
  return dayRange(todayIn(location.timezone, now), PAGE_DAYS);
}

/** Fetches the page (conditionally when it was read before) and decides how to read it. */
export async function readSchedulePage(fetcher: PageFetcher, context: PageContext): Promise<PageVerdict> {
  const url = pageUrlOf(context.theater);
  if (!url) throw new Error(`${context.theater.name} has no schedule page`);
  const previous = context.previous?.url === url && trusted(context.previous) ? context.previous : undefined;
  const result = await fetcher.fetch(url, previous && validatorsOf(previous));
  return verdictOf(result, context, url, previous);
}

function verdictOf(
  result: PageResult,
  context: PageContext,
  url: string,
  previous: SchedulePage | undefined,
): PageVerdict {
  const base = { theaterKey: context.theater.key, url, readAt: context.now.toISOString() };
  if (result.kind === 'failed') {
    const page: SchedulePage = { ...base, path: 'failed', reason: result.reason, showtimes: {} };
    return { kind: 'model', page, mayReadPage: result.code !== 'robots' };
  }
  const known = { ...previous, ...base, ...result.validators };
  if (previous && (result.kind === 'not-modified' || result.hash === previous.hash)) {
    const why =
      result.kind === 'not-modified' ? 'the server answered 304 Not Modified' : 'the page is the same as last time';
    return { kind: 'unchanged', page: { ...known, path: 'unchanged', reason: why, showtimes: previous.showtimes } };
  }
  if (result.kind === 'not-modified') {
    // A 304 to a request that was not conditional: nothing to read.
    return {
      kind: 'model',
      page: { ...base, path: 'model', reason: 'the server answered 304 to a plain request', showtimes: {} },
      mayReadPage: true,
    };
  }
  const fetched = { ...base, ...result.validators, hash: result.hash };
  if (result.contentType !== 'html') {
    const page: SchedulePage = {
      ...fetched,
      path: 'model',
      reason: `the page is ${result.contentType}, not HTML`,
      showtimes: {},
    };
    return { kind: 'model', page, mayReadPage: true };
  }
  const today = todayIn(context.location.timezone, context.now);
  /** The page changed, but not from today on: the stored showtimes stand. */
  const unchangedSinceToday = (dayHashes: Record<Day, string>): PageVerdict | undefined =>
    previous && sameFrom(today, previous.dayHashes, dayHashes)
      ? {
          kind: 'unchanged',
          page: {
            ...known,
            hash: result.hash,
            dayHashes,
            path: 'unchanged',
            reason: 'the schedule from today on is as last time (only past days left the page)',
            showtimes: previous.showtimes,
          },
        }
      : undefined;
  const structured = structuredSchedule(result.body, result.finalUrl, context.location.timezone);
  if (structured.showings.length > 0) {
    const showings = ownShowings(structured, context.theater);
    if (showings.length === 0) {
      const reason = `the page lists ${structured.theaters.join(', ')}, not ${context.theater.name}`;
      return { kind: 'model', page: { ...fetched, path: 'model', reason, showtimes: {} }, mayReadPage: true };
    }
    const dayHashes = showingDayHashes(showings);
    const same = unchangedSinceToday(dayHashes);
    if (same) return same;
    const page: SchedulePage = {
      ...fetched,
      dayHashes,
      path: 'structured',
      reason: `schema.org ScreeningEvent data: ${showings.length} showings`,
      showtimes: {},
    };
    const items = showings.map((showing) => ({ ...showing, theater: context.theater.name }));
    return { kind: 'items', page, items, filmItems: structured.films.map(filmItem) };
  }
  const text = scheduleText(result.body, result.finalUrl);
  if (!text.hasTimes) {
    const page: SchedulePage = {
      ...fetched,
      path: 'model',
      reason: 'the page holds no schedule in its HTML (it is rendered by script)',
      showtimes: {},
    };
    return { kind: 'model', page, mayReadPage: true };
  }
  // A cut text's last day may be partial: its days are not told apart.
  const dayHashes = text.cut ? {} : textDayHashes(text.text);
  const same = unchangedSinceToday(dayHashes);
  if (same) return same;
  const page: SchedulePage = {
    ...fetched,
    ...(Object.keys(dayHashes).length > 0 ? { dayHashes } : {}),
    path: 'text',
    reason: `its text (${text.text.length} characters) read by the model`,
    showtimes: {},
  };
  return { kind: 'ask', page, text: text.text, baseUrl: result.finalUrl, cut: text.cut };
}

/** Each day's part of compact text, by the `[YYYY-MM-DD]` lines of its dated blocks; none when it dates none. */
export function textDayHashes(text: string): Record<Day, string> {
  const parts = new Map<Day, string[]>();
  let lines: string[] | undefined;
  for (const line of text.split('\n')) {
    const day = /^\[(\d{4}-\d{2}-\d{2})\]$/.exec(line)?.[1];
    if (day) lines = parts.get(day) ?? parts.set(day, []).get(day);
    else lines?.push(line);
  }
  return Object.fromEntries([...parts].map(([day, part]) => [day, digest(part.join('\n'))]));
}

function showingDayHashes(showings: readonly ShowingItem[]): Record<Day, string> {
  const byDay = new Map<Day, string[]>();
  for (const showing of showings) {
    byDay.set(showing.date, [...(byDay.get(showing.date) ?? []), JSON.stringify(showing)]);
  }
  return Object.fromEntries([...byDay].map(([day, part]) => [day, digest(part.sort().join('\n'))]));
}

/** The same days from `today` on, each with the same content (days before it may differ or be gone). */
export function sameFrom(today: Day, before: Record<Day, string> | undefined, after: Record<Day, string>): boolean {
  if (!before) return false;
  const from = (hashes: Record<Day, string>) =>
    Object.keys(hashes)
      .filter((day) => day >= today)
      .sort();
  const days = from(after);
  return days.length > 0 && days.join() === from(before).join() && days.every((day) => before[day] === after[day]);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A chain's page lists several cinemas: only this one's showings are its own. */
function ownShowings(structured: StructuredSchedule, theater: Theater): ShowingItem[] {
  if (structured.theaters.length <= 1) return structured.showings;
  const names = new Set([theater.name, ...Object.values(theater.names ?? {})].map((name) => normalizeName(name)));
  return structured.showings.filter((showing) => showing.theater !== null && names.has(normalizeName(showing.theater)));
}

/** The question about a page's text: no tools, so the JSON schema holds on every model, and the cheapest will do. */
export function pageRequest(
  location: Location,
  theater: Theater,
  movies: readonly NowPlaying[],
  text: string,
  now: Date,
): AskRequest {
  return {
    step: 'showtimes',
    prompt: pageShowtimesPrompt(location, theater, movies, pageDays(location, now), text),
    responseSchema: PAGE_SHOWTIMES_SCHEMA,
    search: false,
  };
}

/**
 * The showings of a page-text answer (`PAGE_SHOWTIMES_SCHEMA`), one item each, their booking links resolved
 * against the page; a malformed group is passed on to be dropped.
 */
export function showingsOfGroups(groups: readonly unknown[], baseUrl: string): unknown[] {
  return groups.flatMap((group) => {
    const { film, date, times } = (group ?? {}) as { film?: unknown; date?: unknown; times?: unknown };
    if (!Array.isArray(times)) return [group];
    return times.map((time: unknown) => {
      if (time === null || typeof time !== 'object') return time;
      const { bookingUrl } = time as { bookingUrl?: unknown };
      if (typeof bookingUrl !== 'string') return { ...time, film, date };
      return { ...time, film, date, bookingUrl: URL.parse(bookingUrl, baseUrl)?.href ?? bookingUrl };
    });
  });
}

/**
 * The counts per day of what a read found, every day it covers present (0 included), and whether to trust it.
 * A read of text that was `cut` covers only the days before the last one it found showings on: that day may
 * be partial and the later ones missing, so they are left to the model.
 */
export function settlePage(
  page: SchedulePage,
  previous: SchedulePage | undefined,
  days: readonly Day[],
  startsAt: readonly string[],
  cut = false,
): SchedulePage {
  const showtimes: Record<Day, number> = Object.fromEntries(days.map((day) => [day, 0]));
  for (const start of startsAt) {
    const day = dayOf(start);
    if (day && day in showtimes) showtimes[day] = (showtimes[day] ?? 0) + 1;
  }
  const lastFound = cut ? days.findLast((day) => (showtimes[day] ?? 0) > 0) : undefined;
  const covered = cut
    ? Object.fromEntries(Object.entries(showtimes).filter(([day]) => lastFound !== undefined && day < lastFound))
    : showtimes;
  const settled = cut
    ? {
        ...page,
        showtimes: covered,
        reason: `${page.reason}; the page is longer than the text the model gets, so days from ${lastFound ?? days[0]} on are left to the model`,
      }
    : { ...page, showtimes };
  const before = previous && (trusted(previous) || previous.flagged) ? perListedDay(previous.showtimes) : null;
  const now = perListedDay(showtimes);
  if (before && before.total >= SHAPE_CHANGE_MIN && now.perDay < before.perDay * SHAPE_CHANGE_SHARE) {
    const flagged =
      `the page held ${now.total} showtimes (${now.perDay.toFixed(1)} a day) where the read before found ` +
      `${before.total} (${before.perDay.toFixed(1)} a day): it may have changed shape`;
    // The counts of the last trusted read stay, so the next read is measured against them too.
    return {
      ...page,
      showtimes: previous?.showtimes ?? {},
      path: 'model',
      reason: `${flagged}; left to the model`,
      flagged,
    };
  }
  return settled;
}

/** A read whose counts can be relied on later: one that read the page's own HTML and was not flagged. */
function trusted(page: SchedulePage): page is SchedulePage & { hash: string } {
  return ['structured', 'text', 'unchanged'].includes(page.path) && !page.flagged && page.hash !== undefined;
}

function perListedDay(showtimes: Record<Day, number>): { total: number; perDay: number } {
  const counts = Object.values(showtimes).filter((count) => count > 0);
  const total = counts.reduce((sum, count) => sum + count, 0);
  return { total, perDay: counts.length > 0 ? total / counts.length : 0 };
}

/** A film as the page describes it, in the item shape of a films answer (the cinemas here write Ukrainian titles). */
function filmItem(film: StructuredFilm): Record<string, unknown> {
  return {
    titleUk: film.title,
    originalTitle: film.originalTitle ?? null,
    posterUrl: film.posterUrl ?? null,
    durationMin: film.durationMin ?? null,
    genres: film.genres ?? [],
    ageRating: film.ageRating ?? null,
  };
}

/** The validators a page was stored with, for a conditional request: only those it has. */
function validatorsOf(page: SchedulePage): PageValidators {
  return {
    ...(page.etag ? { etag: page.etag } : {}),
    ...(page.lastModified ? { lastModified: page.lastModified } : {}),
  };
}
