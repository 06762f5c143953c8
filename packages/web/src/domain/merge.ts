import { type DayRange, MOVIE_TTL_DAYS } from '../store/store.ts';
import {
  type Day,
  LANGS,
  type Localized,
  type Movie,
  type MovieInput,
  type MovieTheater,
  type MovieTitles,
  type Showtime,
} from './model.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const TITLE_KEYS = ['uk', 'en', 'ru', 'original'] as const satisfies readonly (keyof MovieTitles)[];

/** The local day of a showtime: the first 10 characters of `startsAt`. */
export function showtimeDay(showtime: Showtime): Day {
  return showtime.startsAt.slice(0, 10);
}

/** Showtime identity: the instant (so `+02:00` and the equal `Z` form match) plus the format. */
export function showtimeIdentity(showtime: Showtime): string {
  const instant = Date.parse(showtime.startsAt);
  return `${Number.isNaN(instant) ? showtime.startsAt : instant}|${showtime.format.trim().toUpperCase()}`;
}

/** Merges what a source knows into the stored movie: incoming non-empty fields win, nothing stored is lost. */
export function mergeMovie(existing: Movie | null, input: MovieInput, now: Date): Movie {
  const theaters = new Map<string, MovieTheater>();
  for (const theater of existing?.theaters ?? []) {
    theaters.set(theater.theaterKey, copyTheater(theater));
  }
  for (const incoming of input.theaters) {
    theaters.set(incoming.theaterKey, mergeTheater(theaters.get(incoming.theaterKey) ?? null, incoming));
  }
  const mergedTheaters = [...theaters.values()].sort(
    (a, b) => a.name.localeCompare(b.name, 'uk') || compareText(a.theaterKey, b.theaterKey),
  );

  const movie: Movie = {
    city: input.city,
    key: input.key,
    titles: mergeTitles(existing?.titles ?? {}, input.titles),
    genres: nonEmptyGenres(input.genres) ?? [...(existing?.genres ?? [])],
    theaters: mergedTheaters,
    days: daysOf(mergedTheaters),
    updatedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + MOVIE_TTL_DAYS * DAY_MS).toISOString(),
  };
  const posterUrl = pick(input.posterUrl, existing?.posterUrl);
  if (posterUrl !== undefined) movie.posterUrl = posterUrl;
  const durationMin = isPositive(input.durationMin) ? input.durationMin : existing?.durationMin;
  if (durationMin !== undefined) movie.durationMin = durationMin;
  const ageRating = pick(input.ageRating, existing?.ageRating);
  if (ageRating !== undefined) movie.ageRating = ageRating;
  const synopsis = mergeSynopsis(existing?.synopsis ?? {}, input.synopsis ?? {});
  if (synopsis) movie.synopsis = synopsis;
  return movie;
}

/** A copy of the movie with only the showtimes on days within the range (inclusive); null when none is left. */
export function filterMovieToRange(movie: Movie, range: DayRange): Movie | null {
  const inRange = (day: Day) => day >= range.from && day <= range.to;
  const theaters: MovieTheater[] = [];
  for (const theater of movie.theaters) {
    const showtimes = theater.showtimes.filter((showtime) => inRange(showtimeDay(showtime))).map(copyShowtime);
    if (showtimes.length > 0) theaters.push({ theaterKey: theater.theaterKey, name: theater.name, showtimes });
  }
  if (theaters.length === 0) return null;
  return {
    ...movie,
    titles: { ...movie.titles },
    genres: [...movie.genres],
    ...(movie.synopsis ? { synopsis: { ...movie.synopsis } } : {}),
    theaters,
    days: daysOf(theaters),
  };
}

function mergeTheater(stored: MovieTheater | null, incoming: MovieTheater): MovieTheater {
  const showtimes = new Map<string, Showtime>();
  for (const showtime of stored?.showtimes ?? []) showtimes.set(showtimeIdentity(showtime), copyShowtime(showtime));
  for (const showtime of incoming.showtimes) {
    const id = showtimeIdentity(showtime);
    const known = showtimes.get(id);
    showtimes.set(id, known ? mergeShowtime(known, showtime) : copyShowtime(showtime));
  }
  return {
    theaterKey: incoming.theaterKey,
    name: pick(incoming.name, stored?.name) ?? '',
    showtimes: [...showtimes.values()].sort(compareShowtimes),
  };
}

/** Both describe the same showtime; the incoming form of `startsAt` and its non-empty fields win. */
function mergeShowtime(stored: Showtime, incoming: Showtime): Showtime {
  const merged: Showtime = { startsAt: incoming.startsAt, format: pick(incoming.format, stored.format) ?? '' };
  const language = pick(incoming.language, stored.language);
  if (language !== undefined) merged.language = language;
  const subtitles = pick(incoming.subtitles, stored.subtitles);
  if (subtitles !== undefined) merged.subtitles = subtitles;
  const bookingUrl = pick(incoming.bookingUrl, stored.bookingUrl);
  if (bookingUrl !== undefined) merged.bookingUrl = bookingUrl;
  return merged;
}

function mergeTitles(stored: MovieTitles, incoming: MovieTitles): MovieTitles {
  const titles: MovieTitles = {};
  for (const lang of TITLE_KEYS) {
    const title = pick(incoming[lang], stored[lang]);
    if (title !== undefined) titles[lang] = title;
  }
  return titles;
}

/** Per language, the incoming synopsis wins; undefined when neither knows one. */
function mergeSynopsis(stored: Partial<Localized>, incoming: Partial<Localized>): Partial<Localized> | undefined {
  const synopsis: Partial<Localized> = {};
  for (const lang of LANGS) {
    const text = pick(incoming[lang], stored[lang]);
    if (text !== undefined) synopsis[lang] = text;
  }
  return Object.keys(synopsis).length > 0 ? synopsis : undefined;
}

function daysOf(theaters: MovieTheater[]): Day[] {
  const days = new Set<Day>();
  for (const theater of theaters) for (const showtime of theater.showtimes) days.add(showtimeDay(showtime));
  return [...days].sort();
}

function compareShowtimes(a: Showtime, b: Showtime): number {
  const byInstant = (Date.parse(a.startsAt) || 0) - (Date.parse(b.startsAt) || 0);
  return byInstant || compareText(a.startsAt, b.startsAt) || compareText(a.format, b.format);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function copyTheater(theater: MovieTheater): MovieTheater {
  return { theaterKey: theater.theaterKey, name: theater.name, showtimes: theater.showtimes.map(copyShowtime) };
}

function copyShowtime(showtime: Showtime): Showtime {
  return { ...showtime };
}

function pick(incoming: string | undefined, stored: string | undefined): string | undefined {
  if (incoming !== undefined && incoming.trim() !== '') return incoming;
  return stored;
}

function nonEmptyGenres(genres: string[]): string[] | undefined {
  const unique = [...new Set(genres.filter((genre) => genre.trim() !== ''))];
  return unique.length > 0 ? unique : undefined;
}

function isPositive(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}
