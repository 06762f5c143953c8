import { z } from 'zod';
import type { Day, Localized, MovieTitles, NowPlaying, Showtime, Theater } from '../domain/model.ts';
import { isDay, localIso } from '../domain/time.ts';
import { movieTitle } from './prompts.ts';

/** Accepted items of an answer, and how many were dropped as unusable. */
export interface Normalized<T> {
  items: T[];
  dropped: number;
}

export type AnswerKey = 'theaters' | 'movies' | 'showtimes';

/**
 * The array under `key` in a model answer, which may be wrapped in a ```json fence or in prose;
 * null when no such JSON object can be found in it.
 */
export function parseAnswer(text: string, key: AnswerKey): unknown[] | null {
  for (const candidate of jsonCandidates(text)) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>)[key])) {
        return (value as Record<string, unknown[]>)[key] ?? null;
      }
    } catch {
      // not this candidate
    }
  }
  return null;
}

function* jsonCandidates(text: string): Generator<string> {
  const trimmed = text.trim();
  yield trimmed;
  for (const match of trimmed.matchAll(/```(?:json)?\s*([\s\S]*?)```/gi)) if (match[1]) yield match[1];
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first !== -1 && last > first) yield trimmed.slice(first, last + 1);
}

/** Lowercase, without punctuation, quotes or repeated spaces: how names are compared. */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A stable, URL-safe key for a name: its normalized words joined by `-`. */
export function keyOf(name: string): string {
  return normalizeName(name).replace(/ /g, '-').slice(0, 80);
}

const FORMAT_TAGS: readonly [RegExp, string][] = [
  [/\bimax\b/i, 'IMAX'],
  [/\b4dx\b/i, '4DX'],
  [/\bscreen ?x\b/i, 'ScreenX'],
  [/\bdolby (atmos|cinema)\b/i, 'Dolby Atmos'],
  [/(?<![\p{L}\p{N}])(real ?d )?3 ?[dд](?![\p{L}\p{N}])/iu, '3D'],
];
const TWO_D = /(?<![\p{L}\p{N}])2 ?[dд](?![\p{L}\p{N}])/giu;

/** The canonical format named in free text: `2D`, `3D`, `IMAX`, `IMAX 3D`, `4DX 3D`, … (`2D` when none). */
export function formatOf(text: string | undefined | null): string {
  const tags = FORMAT_TAGS.filter(([pattern]) => pattern.test(text ?? '')).map(([, tag]) => tag);
  return tags.length > 0 ? tags.join(' ') : '2D';
}

/** A title without format tags: "Дюна 3D" → "Дюна" (the tag belongs to the showtime's format). */
export function stripFormatTags(title: string): string {
  let stripped = title;
  for (const [pattern] of FORMAT_TAGS)
    stripped = stripped.replace(new RegExp(pattern.source, `${pattern.flags}g`), ' ');
  return stripped
    .replace(TWO_D, ' ')
    .replace(/\(\s*\)|\[\s*\]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/[\s,:;–-]+$/u, '')
    .trim();
}

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => value || undefined)
    .catch(undefined);

/** An http(s) URL with a dotted host name, or undefined; `https` only when `httpsOnly`. */
const optionalUrl = (httpsOnly: boolean) => {
  const shape = httpsOnly ? /^https:\/\/[^\s/]+\.\S+$/i : /^https?:\/\/[^\s/]+\.\S+$/i;
  return z
    .string()
    .trim()
    .nullish()
    .transform((value) => (value && shape.test(value) && URL.canParse(value) ? value : undefined))
    .catch(undefined);
};

/** The longest synopsis kept: two sentences are well under it; a longer answer is not what was asked for. */
export const SYNOPSIS_MAX = 600;

/** Markup, links, template braces and invisible or control characters: a synopsis is one paragraph of plain words. */
const NOT_PLAIN =
  /[<>{}`\p{Cc}\p{Cf}]|\]\(|https?:|www\.|javascript:|mailto:|\b[\w-]+\.(?:com|net|org|ua|ru|io|info|me|tv|co|app|site|xyz|top)\b/iu;

/** A synopsis as plain text on one line, or undefined when it is missing, too short or long, or not plain text. */
const optionalSynopsis = z
  .string()
  .nullish()
  .transform((value) => {
    const text = (value ?? '').replace(/\s+/g, ' ').trim();
    const plain = text.length >= 20 && text.length <= SYNOPSIS_MAX && /\p{L}/u.test(text) && !NOT_PLAIN.test(text);
    return plain ? text : undefined;
  })
  .catch(undefined);

const optionalHttps = optionalUrl(true);
const optionalHttp = optionalUrl(false);

const theaterItem = z.object({
  name: z.string().trim().min(2).max(120),
  nameUk: optionalText(120),
  nameEn: optionalText(120),
  nameRu: optionalText(120),
  address: optionalText(200),
  url: optionalHttp,
  scheduleUrl: optionalHttps,
});

/** Cinemas from a step-1 answer, one per normalized name; a known cinema keeps its key. */
export function normalizeTheaters(items: readonly unknown[], known: readonly Theater[] = []): Normalized<Theater> {
  const byName = new Map(known.map((theater) => [normalizeName(theater.name), theater.key]));
  const seen = new Map<string, Theater>();
  let dropped = 0;
  for (const item of items) {
    const parsed = theaterItem.safeParse(item);
    const name = parsed.success ? normalizeName(parsed.data.name) : '';
    if (!parsed.success || name === '') {
      dropped++;
      continue;
    }
    const existing = seen.get(name);
    if (existing) {
      existing.address ??= parsed.data.address;
      existing.url ??= parsed.data.url;
      existing.scheduleUrl ??= parsed.data.scheduleUrl;
      continue;
    }
    const theater: Theater = { key: byName.get(name) ?? keyOf(parsed.data.name), name: parsed.data.name };
    const { nameUk: uk, nameEn: en, nameRu: ru } = parsed.data;
    if (uk || en || ru) theater.names = { ...(uk ? { uk } : {}), ...(en ? { en } : {}), ...(ru ? { ru } : {}) };
    if (parsed.data.address) theater.address = parsed.data.address;
    if (parsed.data.url) theater.url = parsed.data.url;
    if (parsed.data.scheduleUrl) theater.scheduleUrl = parsed.data.scheduleUrl;
    seen.set(name, theater);
  }
  return { items: [...seen.values()], dropped };
}

const movieItem = z.object({
  titleUk: optionalText(200),
  titleEn: optionalText(200),
  titleRu: optionalText(200),
  originalTitle: optionalText(200),
  posterUrl: optionalHttps,
  durationMin: z.number().int().min(1).max(600).nullish().catch(undefined),
  genres: z
    .array(z.unknown())
    .nullish()
    .catch(undefined)
    .transform((genres) =>
      [
        ...new Set(
          (genres ?? []).flatMap((genre) =>
            typeof genre === 'string' && genre.trim() !== '' ? [genre.trim().toLowerCase().slice(0, 30)] : [],
          ),
        ),
      ].slice(0, 6),
    ),
  ageRating: optionalText(10),
  synopsisUk: optionalSynopsis,
  synopsisEn: optionalSynopsis,
  synopsisRu: optionalSynopsis,
});

function titlesOf(item: z.infer<typeof movieItem>): MovieTitles {
  const titles: MovieTitles = {};
  const entries = [
    ['uk', item.titleUk],
    ['en', item.titleEn],
    ['ru', item.titleRu],
    ['original', item.originalTitle],
  ] as const;
  for (const [lang, title] of entries) {
    const clean = title ? stripFormatTags(title) : '';
    if (clean) titles[lang] = clean;
  }
  return titles;
}

function synopsisOf(item: z.infer<typeof movieItem>): Partial<Localized> | undefined {
  const { synopsisUk: uk, synopsisEn: en, synopsisRu: ru } = item;
  if (!uk && !en && !ru) return undefined;
  return { ...(uk ? { uk } : {}), ...(en ? { en } : {}), ...(ru ? { ru } : {}) };
}

function titleNames(titles: MovieTitles): string[] {
  return [titles.original, titles.en, titles.uk, titles.ru].flatMap((title) => (title ? [normalizeName(title)] : []));
}

/**
 * Movies from a step-2 answer. The same film under several titles, or with a format tag in its title
 * ("Avatar 3D", "Avatar IMAX"), is one movie; a film already known keeps its key.
 */
export function normalizeMovies(items: readonly unknown[], known: readonly NowPlaying[] = []): Normalized<NowPlaying> {
  const movies: NowPlaying[] = [];
  const keyByName = new Map<string, string>();
  for (const movie of known) for (const name of titleNames(movie.titles)) keyByName.set(name, movie.key);
  const byKey = new Map<string, NowPlaying>();
  let dropped = 0;
  for (const item of items) {
    const parsed = movieItem.safeParse(item);
    const titles = parsed.success ? titlesOf(parsed.data) : {};
    const names = titleNames(titles);
    if (!parsed.success || names.length === 0) {
      dropped++;
      continue;
    }
    const key = names.map((name) => keyByName.get(name)).find((found) => found !== undefined) ?? keyOf(names[0] ?? '');
    for (const name of names) keyByName.set(name, key);
    const movie: NowPlaying = { key, titles, genres: parsed.data.genres };
    if (parsed.data.posterUrl) movie.posterUrl = parsed.data.posterUrl;
    if (parsed.data.durationMin) movie.durationMin = parsed.data.durationMin;
    if (parsed.data.ageRating) movie.ageRating = parsed.data.ageRating;
    const synopsis = synopsisOf(parsed.data);
    if (synopsis) movie.synopsis = synopsis;
    const existing = byKey.get(key);
    if (existing) fillMissing(existing, movie);
    else {
      byKey.set(key, movie);
      movies.push(movie);
    }
  }
  return { items: movies, dropped };
}

/** Completes `movie` with what `other` knows and it does not. */
function fillMissing(movie: NowPlaying, other: NowPlaying): void {
  movie.titles = { ...other.titles, ...movie.titles };
  if (movie.genres.length === 0) movie.genres = other.genres;
  if (!movie.posterUrl && other.posterUrl) movie.posterUrl = other.posterUrl;
  if (!movie.durationMin && other.durationMin) movie.durationMin = other.durationMin;
  if (!movie.ageRating && other.ageRating) movie.ageRating = other.ageRating;
  if (other.synopsis) movie.synopsis = { ...other.synopsis, ...movie.synopsis };
}

/**
 * The items of a several-films answer, by the film each names (`film`, matched on any of its titles);
 * items naming no listed film are dropped.
 */
export function groupByFilm(
  items: readonly unknown[],
  films: readonly NowPlaying[],
): { groups: Map<NowPlaying, unknown[]>; dropped: number } {
  const byName = new Map<string, NowPlaying>();
  for (const film of films) {
    for (const title of [...Object.values(film.titles), movieTitle(film)])
      if (title) byName.set(normalizeName(title), film);
  }
  const groups = new Map<NowPlaying, unknown[]>();
  let dropped = 0;
  for (const item of items) {
    const name = (item as { film?: unknown } | null)?.film;
    const film = typeof name === 'string' ? byName.get(normalizeName(stripFormatTags(name))) : undefined;
    if (!film) {
      dropped++;
      continue;
    }
    groups.set(film, [...(groups.get(film) ?? []), item]);
  }
  return { groups, dropped };
}

const showtimeItem = z.object({
  theater: z.string().trim().min(1).max(200),
  date: z.string().trim().nullish(),
  time: z.union([z.string(), z.number()]).transform(String),
  format: z.string().max(60).nullish().catch(undefined),
  language: z.string().nullish().catch(undefined),
  subtitles: z.string().nullish().catch(undefined),
  bookingUrl: optionalHttp,
});

/** `YYYY-MM-DD`, also from `DD.MM.YYYY` or the date part of an ISO timestamp; null when not a real day. */
export function dayOf(value: string): Day | null {
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$/.exec(value);
  const dotted = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value);
  const day = iso?.[1] ?? (dotted ? `${dotted[3]}-${dotted[2]}-${dotted[1]}` : null);
  return day && isDay(day) ? day : null;
}

/** `HH:MM` from `19:30`, `9.05`, `19:30:00`, `7:30 PM` or an ISO timestamp; null for an impossible time. */
export function timeOf(value: string): string | null {
  const match =
    /^(?:\d{4}-\d{2}-\d{2}[T ])?(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?\s*([ap]\.?m\.?)?(?:Z|[+-]\d{2}:?\d{2})?$/i.exec(
      value.trim(),
    );
  if (!match) return null;
  let hours = Number(match[1]);
  const minutes = Number(match[2]);
  const meridiem = match[3]?.[0]?.toLowerCase();
  if (meridiem) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (meridiem === 'p' ? 12 : 0);
  }
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** Words (lowercase) naming a language, by its code; `original` is the film's own. */
const LANGUAGE_WORDS: readonly [RegExp, string][] = [
  [/^(original|orig|ov|оригінал\p{L}*|оригинал\p{L}*)$/u, 'original'],
  [/^(uk|ua|ukr|ukrainian|укр\p{L}*)$/u, 'uk'],
  [/^(en|eng|english|англ\p{L}*)$/u, 'en'],
  [/^(ru|rus|russian|рус\p{L}*|рос\p{L}*)$/u, 'ru'],
  [/^(pl|pol|polish|польськ\p{L}*|польск\p{L}*)$/u, 'pl'],
  [/^(fr|fra|fre|french|франц\p{L}*)$/u, 'fr'],
  [/^(de|deu|ger|german|німецьк\p{L}*|немецк\p{L}*)$/u, 'de'],
  [/^(es|spa|spanish|іспанськ\p{L}*|испанск\p{L}*)$/u, 'es'],
  [/^(it|ita|italian|італійськ\p{L}*|итальянск\p{L}*)$/u, 'it'],
  [/^(ja|jpn|japanese|японськ\p{L}*|японск\p{L}*)$/u, 'ja'],
  [/^(ko|kor|korean|корейськ\p{L}*|корейск\p{L}*)$/u, 'ko'],
];
const SUBTITLE_WORD = /^(sub|subs|subbed|subtitle\p{L}*|субтитр\p{L}*|суб|титр\p{L}*)$/u;
const NEGATION_WORD = /^(без|without|no|none|немає|нет)$/u;

type Word = { code: string } | 'subtitles' | 'not' | null;

function wordOf(token: string): Word {
  if (SUBTITLE_WORD.test(token)) return 'subtitles';
  if (NEGATION_WORD.test(token)) return 'not';
  const known = LANGUAGE_WORDS.find(([pattern]) => pattern.test(token));
  return known ? { code: known[1] } : null;
}

const codeIn = (word: Word | undefined): string | undefined =>
  typeof word === 'object' && word !== null ? word.code : undefined;

/**
 * The audio and subtitle languages one piece of text names. Read part by part (split at `,;()/+|`): within a
 * part, the language nearest after a subtitle word ("ENG sub UKR"), else nearest before it ("uk subtitles",
 * "з українськими субтитрами"), is the subtitles'; "без субтитрів" names none; every other language is spoken.
 */
function readLanguages(text: string): { spoken: string[]; subtitles: string[] } {
  const spoken: string[] = [];
  const subtitles: string[] = [];
  for (const part of text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[,;()[\]/+|]/)) {
    const words = part
      .split(/[^\p{L}]+/u)
      .filter(Boolean)
      .map(wordOf);
    const used = new Set<number>();
    words.forEach((word, at) => {
      if (word !== 'subtitles') return;
      const negated = words.lastIndexOf('not', at);
      if (negated !== -1) {
        for (let i = negated; i < at; i++) used.add(i);
        return;
      }
      const subtitle = (i: number) => !used.has(i) && codeIn(words[i]) !== undefined && codeIn(words[i]) !== 'original';
      let found = words.findIndex((_, i) => i > at && subtitle(i));
      if (found === -1) found = words.findLastIndex((_, i) => i < at && subtitle(i));
      if (found === -1) return;
      used.add(found);
      subtitles.push(codeIn(words[found]) as string);
    });
    words.forEach((word, at) => {
      const code = codeIn(word);
      if (code && !used.has(at)) spoken.push(code);
    });
  }
  return { spoken, subtitles };
}

/**
 * The audio and subtitle languages of a showing (`uk`, `en`, … or `original` for the audio), from an answer's
 * free-text `language` and `subtitles`, in Ukrainian, English or Russian: "original, uk subtitles",
 * "оригінал з українськими субтитрами", "ENG sub UKR", "original (uk subs)". A lone two-letter code counts
 * as itself; what names no language is left out.
 */
export function languagesOf(
  language: string | null | undefined,
  subtitles: string | null | undefined,
): { language?: string; subtitles?: string } {
  const lone = (text: string | null | undefined) => {
    const word = text?.trim().toLowerCase() ?? '';
    return /^[a-z]{2}$/.test(word) && wordOf(word) === null ? [word] : [];
  };
  const fromLanguage = readLanguages(language ?? '');
  const fromSubtitles = readLanguages(subtitles ?? '');
  const audio = [...fromLanguage.spoken, ...lone(language)][0];
  const subtitled = [
    ...fromSubtitles.subtitles,
    ...fromSubtitles.spoken.filter((code) => code !== 'original'),
    ...lone(subtitles),
    ...fromLanguage.subtitles,
  ][0];
  const result: { language?: string; subtitles?: string } = {};
  if (audio) result.language = audio;
  if (subtitled && subtitled !== 'original') result.subtitles = subtitled;
  return result;
}

/** A leading word that says "a cinema" and names none: "Кінотеатр «Жовтень»" is the cinema Жовтень. */
const CINEMA_WORD = /^(кінотеатр|кинотеатр|kinoteatr|cinema) /u;

/** A cinema's name as compared: normalized, without a leading word for "cinema". */
function theaterName(name: string): string {
  return normalizeName(name).replace(CINEMA_WORD, '');
}

/**
 * The listed cinema an answer means: the one whose whole name (in any of its languages) or key is the answer's,
 * as compared by theaterName. Never a part of a name: "Lav" or "x" is no cinema.
 */
export function matchTheater(name: string, theaters: readonly Theater[]): Theater | undefined {
  const wanted = theaterName(name);
  if (wanted === '') return undefined;
  const key = keyOf(name);
  return theaters.find(
    (theater) =>
      theater.key === key ||
      [theater.name, ...Object.values(theater.names ?? {})].some((n) => theaterName(n) === wanted),
  );
}

export interface ScrapedShowtime {
  theater: Theater;
  showtime: Showtime;
}

export interface ShowtimeContext {
  /** The days that were asked for; anything else is dropped. */
  days: readonly Day[];
  timezone: string;
  theaters: readonly Theater[];
}

/**
 * Showtimes from a step-3 answer, as ISO instants with the city's offset. Dropped: another day than asked,
 * an impossible time, a cinema not in the list, and repeats of the same showing.
 */
export function normalizeShowtimes(items: readonly unknown[], context: ShowtimeContext): Normalized<ScrapedShowtime> {
  const asked = new Set(context.days);
  const seen = new Set<string>();
  const accepted: ScrapedShowtime[] = [];
  let dropped = 0;
  for (const item of items) {
    const parsed = showtimeItem.safeParse(item);
    if (!parsed.success) {
      dropped++;
      continue;
    }
    const { theater: theaterName, date, time: rawTime, format, language, subtitles, bookingUrl } = parsed.data;
    const onlyDay = context.days.length === 1 ? context.days[0] : undefined;
    const day = date ? dayOf(date) : (dayOf(rawTime) ?? onlyDay);
    const time = timeOf(rawTime);
    const theater = matchTheater(theaterName, context.theaters);
    if (!day || !asked.has(day) || !time || !theater) {
      dropped++;
      continue;
    }
    const showtime: Showtime = { startsAt: localIso(day, time, context.timezone), format: formatOf(format) };
    Object.assign(showtime, languagesOf(language, subtitles));
    if (bookingUrl) showtime.bookingUrl = bookingUrl;
    const identity = `${theater.key}|${showtime.startsAt}|${showtime.format}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    accepted.push({ theater, showtime });
  }
  return { items: accepted, dropped };
}
