import { LANGS, type Lang, type Location, type Movie } from '../domain/model.ts';
import { HORIZON_DAYS } from '../domain/planner.ts';
import {
  AUDIO_CHOICES,
  matchesFilter,
  PARTS_OF_DAY,
  type ShowingFilter,
  SORTS,
  type Sort,
  showingsOf,
} from '../domain/schedule.ts';
import type { CityShowtimes } from '../domain/showtimes.ts';
import { addDays, dateTimeFormat, dayRange, daysBetween } from '../domain/time.ts';
import { LANGUAGE_NAMES, LOCALES, type MessageKey, t, tCount, tMaybe } from '../i18n/index.ts';
import { cityJsonLd } from './jsonld.ts';
import { headTags } from './seo.ts';
import { SEO_TEXT } from './seo-text.ts';
import { longDate, movieTitle, shortDate, showtimeView, theaterNames } from './showing-view.ts';
import { Urls } from './urls.ts';

/** The soonest showings a city page describes in JSON-LD: enough for search engines, and the page stays ≤ 6 KB. */
const JSON_LD_SHOWINGS = 40;

/** Stands where the visitor count goes, so a rendered page can be cached and the count filled in per request. */
export const VISITORS_MARK = '@@VISITORS@@';

export interface PageContext {
  lang: Lang;
  urls: Urls;
  /** The request path after the language prefix, with its query: `/city/kyiv?date=2026-11-24`. */
  pathAfterLang: string;
  sampleData: boolean;
  donateUrl?: string;
  /** Scheme and host for absolute links (canonical, hreflang): PUBLIC_URL or the request's. */
  origin: string;
  assets: { css: string; script: string; icon: string };
}

export interface LayoutExtra {
  refreshSeconds?: number;
  description?: string;
  /** The page's canonical path after the language: by default the path asked for; null for pages not to index (errors). */
  canonicalPath?: string | null;
  jsonLd?: object;
}

export function layout(ctx: PageContext, title: string, extra: LayoutExtra = {}) {
  const { lang, urls } = ctx;
  const fullTitle = `${title} · CineStream`;
  const description = extra.description ?? t(lang, 'site.tagline');
  return {
    lang,
    title: fullTitle,
    description,
    head: headTags({
      lang,
      urls,
      origin: ctx.origin,
      title: fullTitle,
      description,
      canonicalPath: extra.canonicalPath === null ? undefined : (extra.canonicalPath ?? ctx.pathAfterLang),
      jsonLd: extra.jsonLd,
    }),
    refreshSeconds: extra.refreshSeconds ?? 0,
    assets: ctx.assets,
    homeUrl: urls.home(lang),
    tagline: t(lang, 'site.tagline'),
    skip: t(lang, 'nav.skip'),
    langLabel: t(lang, 'lang.label'),
    languages: LANGS.map((code) => ({
      code,
      name: LANGUAGE_NAMES[code],
      href: urls.switchLanguage(code, ctx.pathAfterLang),
      current: code === lang,
    })),
    demo: ctx.sampleData ? t(lang, 'demo.notice') : '',
    about: t(lang, 'footer.about'),
    allCities: t(lang, 'nav.home'),
    visitors: t(lang, 'footer.visitors', { count: VISITORS_MARK }),
    donateUrl: ctx.donateUrl ?? '',
    donate: t(lang, 'footer.donate'),
  };
}

export function homePage(ctx: PageContext, cities: Location[]) {
  const { lang, urls } = ctx;
  const title = t(lang, 'home.title');
  return {
    ...layout(ctx, t(lang, 'home.pageTitle'), { description: SEO_TEXT[lang].homeDescription, canonicalPath: '/' }),
    heading: title,
    lead: t(lang, 'home.lead'),
    cities: cities
      .map((city) => ({
        name: city.names[lang],
        href: urls.city(lang, city.slug),
        coverage:
          city.coveredDays.length > 0 ? tCount(lang, 'home.days', city.coveredDays.length) : t(lang, 'home.noData'),
      }))
      .sort((a, b) => a.name.localeCompare(b.name, LOCALES[lang])),
  };
}

export interface CityFilters extends ShowingFilter {
  date: string;
  sort?: Sort;
}

/** A tab per day of the horizon: a short weekday and the day of the month, the full date for screen readers. */
function dayTab(lang: Lang, day: string, today: string) {
  const noon = new Date(`${day}T12:00:00Z`);
  const weekday = dateTimeFormat(LOCALES[lang], { weekday: 'short', timeZone: 'UTC' });
  const named = day === today ? t(lang, 'city.today') : day === addDays(today, 1) ? t(lang, 'city.tomorrow') : '';
  return { weekday: weekday.format(noon), dayOfMonth: String(noon.getUTCDate()), label: named || longDate(lang, day) };
}

function initials(title: string): string {
  return title
    .split(/\s+/)
    .filter((word) => /^\p{L}/u.test(word))
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase())
    .join('');
}

/** What a card shows of a film, whatever its showtimes: title, poster and details. */
export function movieSummary(ctx: PageContext, slug: string, movie: Movie) {
  const { lang, urls } = ctx;
  const title = movieTitle(lang, movie);
  return {
    key: movie.key,
    href: urls.film(lang, slug, movie.key),
    title: title.text,
    titleLang: title.lang ?? '',
    originalTitle:
      movie.titles.original && movie.titles.original !== title.text
        ? t(lang, 'movie.original', { title: movie.titles.original })
        : '',
    posterUrl: movie.posterUrl ?? '',
    posterAlt: t(lang, 'movie.poster', { title: title.text }),
    noPoster: t(lang, 'movie.noPoster'),
    initials: initials(title.text),
    duration: movie.durationMin ? t(lang, 'movie.minutes', { minutes: movie.durationMin }) : '',
    genres: movie.genres.map((genre) => tMaybe(lang, `genre.${genre}`, genre)).join(', '),
    age: movie.ageRating ?? '',
    ageLabel: movie.ageRating ? t(lang, 'movie.age', { rating: movie.ageRating }) : '',
  };
}

interface TheaterTimes {
  name: string;
  nameLang: string;
  href: string;
  showtimes: ReturnType<typeof showtimeView>[];
}

function movieCard(ctx: PageContext, data: CityShowtimes, movie: Movie, filters: CityFilters, nowMs: number) {
  const { lang, urls } = ctx;
  const names = theaterNames(lang, data.location, [movie]);
  const upcoming: TheaterTimes[] = [];
  const earlier: TheaterTimes[] = [];
  let firstUpcoming = Number.POSITIVE_INFINITY;
  let earlierCount = 0;
  for (const theater of movie.theaters) {
    const name = names.get(theater.theaterKey) ?? { text: theater.name };
    const shown = {
      name: name.text,
      nameLang: name.lang ?? '',
      href: urls.cinema(lang, data.location.slug, theater.theaterKey),
    };
    const later: TheaterTimes = { ...shown, showtimes: [] };
    const before: TheaterTimes = { ...shown, showtimes: [] };
    for (const showtime of theater.showtimes) {
      if (!matchesFilter(showtime, theater.theaterKey, filters)) continue;
      const view = showtimeView(lang, showtime, name.text, nowMs);
      if (view.past) {
        before.showtimes.push(view);
        earlierCount++;
      } else {
        later.showtimes.push(view);
        firstUpcoming = Math.min(firstUpcoming, Date.parse(showtime.startsAt));
      }
    }
    if (later.showtimes.length > 0) upcoming.push(later);
    if (before.showtimes.length > 0) earlier.push(before);
  }
  return {
    ...movieSummary(ctx, data.location.slug, movie),
    theaters: upcoming,
    earlier: earlierCount > 0 ? { summary: t(lang, 'city.earlier', { count: earlierCount }), theaters: earlier } : null,
    firstUpcoming,
  };
}

/** The next showings across films, soonest first: what a visitor looking for tonight wants first. */
function nextShowings(ctx: PageContext, data: CityShowtimes, filters: CityFilters, nowMs: number) {
  const { lang, urls } = ctx;
  const names = theaterNames(lang, data.location, data.movies);
  return showingsOf(data.movies, filters)
    .filter((showing) => showing.startMs >= nowMs)
    .slice(0, NEXT_SHOWINGS)
    .map((showing) => {
      const name = names.get(showing.theaterKey) ?? { text: showing.theaterName };
      const title = movieTitle(lang, showing.movie);
      return {
        ...showtimeView(lang, showing.showtime, name.text, nowMs),
        film: title.text,
        filmLang: title.lang ?? '',
        filmHref: urls.film(lang, data.location.slug, showing.movie.key),
        cinema: name.text,
        cinemaLang: name.lang ?? '',
        cinemaHref: urls.cinema(lang, data.location.slug, showing.theaterKey),
      };
    });
}

const NEXT_SHOWINGS = 6;

function choices<T extends string>(lang: Lang, prefix: string, values: readonly T[], selected: T | undefined) {
  return values.map((value) => ({
    value,
    label: tMaybe(lang, `${prefix}.${value}`, value),
    selected: value === selected,
  }));
}

export function statusBanner(lang: Lang, location: Location, notice: CityShowtimes['notice']) {
  if (notice)
    return { kind: 'later', text: t(lang, notice === 'budget-exhausted' ? 'city.budgetLater' : 'city.rateLimited') };
  if (location.status === 'scraping') {
    const text = location.progress
      ? t(lang, 'city.scraping', { done: location.progress.done, total: location.progress.total })
      : t(lang, 'city.scrapingStart');
    return { kind: 'scraping', text };
  }
  if (location.status === 'stalled') return { kind: 'scraping', text: t(lang, 'city.stalled') };
  if (location.status === 'failed') return { kind: 'failed', text: t(lang, 'city.failed') };
  return null;
}

/** The day tabs of the horizon, each keeping the other filters. */
export function dayTabs(today: string, selected: string, lang: Lang, href: (day: string) => string) {
  return dayRange(today, HORIZON_DAYS).map((day) => ({
    ...dayTab(lang, day, today),
    day,
    href: href(day),
    current: day === selected,
  }));
}

/** A day outside the horizon, said plainly; empty when the day is in it. */
export function outsideHorizon(lang: Lang, day: string, today: string): string {
  const offset = daysBetween(today, day);
  if (offset >= 0 && offset < HORIZON_DAYS) return '';
  const last = addDays(today, HORIZON_DAYS - 1);
  return t(lang, 'city.outside', { from: shortDate(lang, today), to: shortDate(lang, last) });
}

export function cityPage(ctx: PageContext, data: CityShowtimes, filters: CityFilters, today: string, now: Date) {
  const { lang, urls } = ctx;
  const { location } = data;
  const cityName = location.names[lang];
  const nowMs = now.getTime();
  const allFormats = new Set<string>();
  for (const movie of data.movies)
    for (const theater of movie.theaters) for (const showtime of theater.showtimes) allFormats.add(showtime.format);
  const outside = outsideHorizon(lang, filters.date, today);
  const byFilm = filters.sort === 'film';
  const cards = outside ? [] : data.movies.map((movie) => movieCard(ctx, data, movie, filters, nowMs));
  const byTitle = (a: { title: string }, b: { title: string }) => a.title.localeCompare(b.title, LOCALES[lang]);
  const movies = cards
    .filter((card) => card.theaters.length > 0)
    .sort((a, b) => (byFilm ? byTitle(a, b) : a.firstUpcoming - b.firstUpcoming || byTitle(a, b)));
  const finished = cards.filter((card) => card.theaters.length === 0 && card.earlier).sort(byTitle);
  const active = [filters.theater, filters.format, filters.time, filters.audio, filters.sort].filter(Boolean).length;
  const filtered = active > 0;
  const status = statusBanner(lang, location, data.notice);
  const emptyKey: MessageKey = filtered ? 'city.emptyFiltered' : 'city.empty';
  const words = {
    city: cityName,
    day: longDate(lang, filters.date),
    films: movies.length,
    cinemas: new Set(movies.flatMap((movie) => movie.theaters.map((theater) => theater.name))).size,
  };
  const date = longDate(lang, filters.date);
  const next = filters.date === today && !byFilm && !outside ? nextShowings(ctx, data, filters, nowMs) : [];
  const theaters = theaterNames(lang, location, data.movies);
  const keep = {
    theater: filters.theater,
    format: filters.format,
    time: filters.time,
    audio: filters.audio,
    sort: filters.sort,
  };
  return {
    ...layout(ctx, t(lang, 'city.pageTitleDay', { city: cityName, date }), {
      refreshSeconds: status?.kind === 'scraping' ? 5 : 0,
      description: SEO_TEXT[lang].cityDescription(words),
      canonicalPath: Urls.cityPath(location.slug, { date: filters.date === today ? undefined : filters.date }),
      jsonLd: cityJsonLd({ lang, siteUrl: `${ctx.origin}${urls.base}`, location }, data.movies, {
        theaterKey: filters.theater,
        keep: (showtime) =>
          (!filters.format || showtime.format === filters.format) && Date.parse(showtime.startsAt) >= now.getTime(),
        limit: JSON_LD_SHOWINGS,
      }),
    }),
    heading: t(lang, 'city.heading', { city: cityName }),
    headingDate: date,
    date: filters.date,
    status,
    reload: t(lang, 'city.reload'),
    reloadUrl: urls.city(lang, location.slug, { ...filters }),
    daysLabel: t(lang, 'city.days'),
    days: dayTabs(today, filters.date, lang, (day) => urls.city(lang, location.slug, { date: day, ...keep })),
    outside,
    searchAction: urls.search(lang, location.slug),
    searchLabel: t(lang, 'city.search'),
    searchButton: t(lang, 'city.searchButton'),
    filtersLabel: t(lang, 'city.filters'),
    // Folded even when some are on, so the showings stay in the first screen; the summary says how many are on.
    filtersSummary: filtered ? t(lang, 'city.filtersActive', { count: active }) : t(lang, 'city.filtersSummary'),
    filtered,
    formAction: urls.city(lang, location.slug),
    theaterLabel: t(lang, 'city.theater'),
    allTheaters: t(lang, 'city.allTheaters'),
    theaters: [...theaters]
      .map(([key, name]) => ({ key, name: name.text, nameLang: name.lang ?? '', selected: key === filters.theater }))
      .sort((a, b) => a.name.localeCompare(b.name, LOCALES[lang])),
    formatLabel: t(lang, 'city.format'),
    allFormats: t(lang, 'city.allFormats'),
    formats: [...allFormats].sort().map((format) => ({ format, selected: format === filters.format })),
    timeLabel: t(lang, 'city.time'),
    anyTime: t(lang, 'city.anyTime'),
    times: choices(lang, 'time', PARTS_OF_DAY, filters.time),
    audioLabel: t(lang, 'city.audio'),
    anyAudio: t(lang, 'city.anyAudio'),
    audios: choices(lang, 'audioChoice', AUDIO_CHOICES, filters.audio),
    sortLabel: t(lang, 'city.sort'),
    sorts: choices(lang, 'sort', SORTS, filters.sort ?? 'time'),
    apply: t(lang, 'city.apply'),
    reset: t(lang, 'city.reset'),
    resetUrl: urls.city(lang, location.slug, { date: filters.date }),
    nextHeading: t(lang, 'city.next'),
    next,
    moviesCount: tCount(lang, 'city.movies', movies.length),
    movies,
    finished:
      finished.length > 0 ? { summary: t(lang, 'city.finished', { count: finished.length }), movies: finished } : null,
    emptyText: t(lang, emptyKey),
  };
}

export function errorPage(ctx: PageContext, status: number, message: string) {
  const { lang } = ctx;
  const titleKey: MessageKey =
    status === 404 ? 'error.notFoundTitle' : status === 400 ? 'error.badRequestTitle' : 'error.serverTitle';
  return {
    ...layout(ctx, t(lang, titleKey), { canonicalPath: null }),
    heading: t(lang, titleKey),
    message,
    back: t(lang, 'error.back'),
    backUrl: ctx.urls.home(lang),
  };
}
