export const LANGS = ['uk', 'en', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

export type Localized = Record<Lang, string>;

/** A calendar day in a city's own timezone, `YYYY-MM-DD`. */
export type Day = string;

export interface Showtime {
  /** ISO-8601 with the city's offset, e.g. `2026-11-24T19:30:00+02:00`; its first 10 chars are the local day. */
  startsAt: string;
  /** `2D`, `3D`, `IMAX`, `4DX`, … */
  format: string;
  /** Audio language code (`uk`, `en`, …) or `original`. */
  language?: string;
  /** Subtitle language code, when subtitled. */
  subtitles?: string;
  bookingUrl?: string;
}

export interface MovieTheater {
  theaterKey: string;
  name: string;
  showtimes: Showtime[];
}

export interface MovieTitles {
  uk?: string;
  en?: string;
  ru?: string;
  original?: string;
}

/** A movie's own details, the same in every cinema. */
export interface MovieDetails {
  key: string;
  titles: MovieTitles;
  posterUrl?: string;
  durationMin?: number;
  /** Lowercase English genre slugs (`drama`, `animation`, …). */
  genres: string[];
  ageRating?: string;
  /** A one- or two-sentence synopsis in each site language it is known in: plain text. */
  synopsis?: Partial<Localized>;
}

/** What a source knows about a movie in a city; stored data is merged with it. */
export interface MovieInput extends MovieDetails {
  city: string;
  theaters: MovieTheater[];
}

/** One document per movie per city. */
export interface Movie extends MovieInput {
  /** Days that have at least one showtime, sorted. */
  days: Day[];
  updatedAt: string;
  /** After this instant the document is deleted (90-day TTL). */
  expiresAt: string;
}

export interface Theater {
  key: string;
  /** The cinema's own name, as it signs itself (usually Ukrainian). */
  name: string;
  /** The name in each site language, where the source gives one; pages fall back to `name` (transliterated). */
  names?: Partial<Localized>;
  address?: string;
  url?: string;
  /** The page that lists the cinema's showtimes (https), which showtime questions read with URL context. */
  scheduleUrl?: string;
}

/** `stalled` is never stored: it is how a `scraping` city shows once its fetching worker's heartbeat is old. */
export type ScrapeStatus = 'idle' | 'scraping' | 'stalled' | 'failed';

/** A movie the city's cinemas list as playing now, before any showtimes are known. */
export type NowPlaying = MovieDetails;

export interface CitySeed {
  slug: string;
  names: Localized;
  timezone: string;
}

export interface Location extends CitySeed {
  status: ScrapeStatus;
  progress?: { done: number; total: number };
  /** While fetching: when the worker fetching the city last showed it is alive. */
  heartbeatAt?: string;
  /** Days whose showtimes are stored, sorted. */
  coveredDays: Day[];
  theaters: Theater[];
  theatersFetchedAt?: string;
  /** What the cinemas list as playing, as of `moviesFetchedAt`; showtimes are fetched for these. */
  nowPlaying?: NowPlaying[];
  moviesFetchedAt?: string;
  lastScrapeAt?: string;
  /** Grows on every change to the city's location or movies; caches compare it. */
  version: number;
}

export interface LocationPatch {
  status?: ScrapeStatus;
  progress?: { done: number; total: number } | null;
  heartbeatAt?: string;
  /** Added to the covered days (a union, never a replacement). */
  addCoveredDays?: Day[];
  /** Drops covered days before this one (days that have passed). */
  coveredFrom?: Day;
  theaters?: Theater[];
  nowPlaying?: NowPlaying[];
  theatersFetchedAt?: string;
  moviesFetchedAt?: string;
  lastScrapeAt?: string;
}

/** What is known of one city-day's showtimes, for the freshness policy (domain/freshness.ts) and resumed fetches. */
export interface CityDay {
  day: Day;
  /** When the day was last fetched in full, and how many showtimes that fetch found; absent until one completes. */
  fetchedAt?: string;
  showtimes: number;
  /** The fetch under way: the films (or cinemas) answered so far and their showtimes; a resume asks only the others. */
  pending?: { since: string; answered: string[]; showtimes: number };
}

/** How a cinema's schedule page was read: `unchanged` (304 or the same content), `structured` (schema.org data),
 * `text` (its text, read by the model without tools), `model` (left to the model's URL context and search), `failed`. */
export type PageReadPath = 'unchanged' | 'structured' | 'text' | 'model' | 'failed';

/** The last read of one cinema's schedule page: what a conditional request and an unchanged page need, and why it went as it did. */
export interface SchedulePage {
  theaterKey: string;
  url: string;
  readAt: string;
  path: PageReadPath;
  /** Why this path, in a sentence an operator can act on. */
  reason: string;
  etag?: string;
  lastModified?: string;
  /** sha256 of the page as fetched. */
  hash?: string;
  /**
   * sha256 of each day's part of the schedule, where the page tells its days apart: a page whose days from today
   * on are as they were (it only dropped its past days) is unchanged.
   */
  dayHashes?: Record<Day, string>;
  /** Showtimes the page held per day, as of the read that last stored them: what an unchanged page still holds. */
  showtimes: Record<Day, number>;
  /** Set when the page held far fewer showtimes than the read before: its showtimes were not taken. */
  flagged?: string;
}

export interface TokenCounts {
  /** Includes `cached`. */
  prompt: number;
  output: number;
  tool: number;
  thoughts: number;
  /** Prompt tokens served from the implicit cache (absent in runs recorded before it was counted). */
  cached?: number;
}

export interface ScrapeRun {
  id: string;
  city: string;
  startedAt: string;
  finishedAt?: string;
  requestedDays: Day[];
  /** HTTP calls made to Gemini. */
  queries: number;
  tokens: TokenCounts;
  /** The model the calls went to (absent in older runs). */
  model?: string;
  /** Google Search queries the calls ran, and the calls that ran any (absent in older runs). */
  searchQueries?: number;
  groundedPrompts?: number;
  /** Pages URL context read, and those it could not. */
  urlRetrievals?: number;
  urlFailures?: number;
  /** Cinema schedule pages read by the site itself, by the path each took (absent when none was). */
  pages?: Partial<Record<PageReadPath, number>>;
  /** Tokens plus searches at the model's list price, when it is known. */
  costUsd?: number;
  dropped: number;
  errors: string[];
  durationMs: number;
  /** `running` until the run ends; a run whose process died stays `running`. */
  status: 'running' | 'ok' | 'partial' | 'failed';
}
