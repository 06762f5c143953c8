import { LANGS, type Lang, type Location, type Movie, type Showtime } from '../domain/model.ts';
import { HORIZON_DAYS } from '../domain/planner.ts';
import type { CityShowtimes } from '../domain/showtimes.ts';
import { addDays, dateTimeFormat, dayRange } from '../domain/time.ts';
import { LANGUAGE_NAMES, LOCALES, type MessageKey, t, tCount, tMaybe } from '../i18n/index.ts';
import type { Urls } from './urls.ts';

/** Stands where the visitor count goes, so a rendered page can be cached and the count filled in per request. */
export const VISITORS_MARK = '@@VISITORS@@';

export interface PageContext {
  lang: Lang;
  urls: Urls;
  /** The request path after the language prefix, with its query: `/city/kyiv?date=2026-11-24`. */
  pathAfterLang: string;
  sampleData: boolean;
  donateUrl?: string;
  assets: { css: string; script: string; icon: string };
}

function layout(ctx: PageContext, title: string, extra: { refreshSeconds?: number; description?: string } = {}) {
  const { lang, urls } = ctx;
  return {
    lang,
    title: `${title} · CineStream`,
    description: extra.description ?? t(lang, 'site.tagline'),
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
    alternates: [
      ...LANGS.map((code) => ({ hreflang: code, href: `${urls.base}/${code}${ctx.pathAfterLang}` })),
      { hreflang: 'x-default', href: `${urls.base}${ctx.pathAfterLang}` },
    ],
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
    ...layout(ctx, t(lang, 'home.pageTitle')),
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

export interface CityFilters {
  date: string;
  theater?: string;
  format?: string;
}

function dayTab(lang: Lang, day: string, today: string) {
  const noon = new Date(`${day}T12:00:00Z`);
  const weekday = dateTimeFormat(LOCALES[lang], { weekday: 'short', timeZone: 'UTC' });
  const date = dateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const named = day === today ? t(lang, 'city.today') : day === addDays(today, 1) ? t(lang, 'city.tomorrow') : '';
  return { weekday: named || weekday.format(noon), label: date.format(noon) };
}

function audioText(lang: Lang, showtime: Showtime): string {
  const parts: string[] = [];
  if (showtime.language) parts.push(tMaybe(lang, `audio.${showtime.language}`, showtime.language));
  if (showtime.subtitles) parts.push(tMaybe(lang, `subs.${showtime.subtitles}`, showtime.subtitles));
  return parts.join(', ');
}

function movieTitle(lang: Lang, movie: Movie): string {
  return (
    movie.titles[lang] ?? movie.titles.original ?? movie.titles.uk ?? movie.titles.en ?? movie.titles.ru ?? movie.key
  );
}

function initials(title: string): string {
  return title
    .split(/\s+/)
    .filter((word) => /^\p{L}/u.test(word))
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase())
    .join('');
}

function movieCard(lang: Lang, movie: Movie, filters: CityFilters, nowMs: number) {
  const title = movieTitle(lang, movie);
  const time = dateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
  const theaters = movie.theaters
    .filter((theater) => !filters.theater || theater.theaterKey === filters.theater)
    .map((theater) => ({
      name: theater.name,
      showtimes: theater.showtimes
        .filter((showtime) => !filters.format || showtime.format === filters.format)
        .map((showtime) => {
          // startsAt carries the city's offset: its wall-clock part is the local time to show.
          const shown = time.format(new Date(`${showtime.startsAt.slice(0, 19)}Z`));
          return {
            time: shown,
            datetime: showtime.startsAt,
            past: Date.parse(showtime.startsAt) < nowMs,
            format: showtime.format,
            formatLabel: t(lang, 'showtime.formatLabel', { format: showtime.format }),
            audio: audioText(lang, showtime),
            bookingUrl: showtime.bookingUrl ?? '',
            bookLabel: t(lang, 'showtime.bookLabel', { time: shown, theater: theater.name }),
          };
        }),
    }))
    .filter((theater) => theater.showtimes.length > 0);
  return {
    key: movie.key,
    title,
    originalTitle:
      movie.titles.original && movie.titles.original !== title
        ? t(lang, 'movie.original', { title: movie.titles.original })
        : '',
    posterUrl: movie.posterUrl ?? '',
    posterAlt: t(lang, 'movie.poster', { title }),
    noPoster: t(lang, 'movie.noPoster'),
    initials: initials(title),
    duration: movie.durationMin ? t(lang, 'movie.minutes', { minutes: movie.durationMin }) : '',
    genres: movie.genres.map((genre) => tMaybe(lang, `genre.${genre}`, genre)).join(', '),
    age: movie.ageRating ?? '',
    ageLabel: movie.ageRating ? t(lang, 'movie.age', { rating: movie.ageRating }) : '',
    theaters,
  };
}

function statusBanner(lang: Lang, location: Location, notice: CityShowtimes['notice']) {
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

export function cityPage(ctx: PageContext, data: CityShowtimes, filters: CityFilters, today: string, now: Date) {
  const { lang, urls } = ctx;
  const { location } = data;
  const cityName = location.names[lang];
  const allFormats = new Set<string>();
  const theaterNames = new Map<string, string>();
  for (const theater of location.theaters) theaterNames.set(theater.key, theater.name);
  for (const movie of data.movies) {
    for (const theater of movie.theaters) {
      theaterNames.set(theater.theaterKey, theater.name);
      for (const showtime of theater.showtimes) allFormats.add(showtime.format);
    }
  }
  const movies = data.movies
    .map((movie) => movieCard(lang, movie, filters, now.getTime()))
    .filter((movie) => movie.theaters.length > 0)
    .sort((a, b) => a.title.localeCompare(b.title, LOCALES[lang]));
  const filtered = Boolean(filters.theater || filters.format);
  const status = statusBanner(lang, location, data.notice);
  const emptyKey: MessageKey = filtered ? 'city.emptyFiltered' : 'city.empty';
  return {
    ...layout(ctx, t(lang, 'city.pageTitle', { city: cityName }), {
      refreshSeconds: status?.kind === 'scraping' ? 5 : 0,
    }),
    heading: t(lang, 'city.heading', { city: cityName }),
    status,
    reload: t(lang, 'city.reload'),
    reloadUrl: urls.city(lang, location.slug, { ...filters }),
    daysLabel: t(lang, 'city.days'),
    days: dayRange(today, HORIZON_DAYS).map((day) => ({
      ...dayTab(lang, day, today),
      day,
      href: urls.city(lang, location.slug, { date: day, theater: filters.theater, format: filters.format }),
      current: day === filters.date,
    })),
    filtersLabel: t(lang, 'city.filters'),
    formAction: urls.city(lang, location.slug),
    date: filters.date,
    theaterLabel: t(lang, 'city.theater'),
    allTheaters: t(lang, 'city.allTheaters'),
    theaters: [...theaterNames]
      .map(([key, name]) => ({ key, name, selected: key === filters.theater }))
      .sort((a, b) => a.name.localeCompare(b.name, LOCALES[lang])),
    formatLabel: t(lang, 'city.format'),
    allFormats: t(lang, 'city.allFormats'),
    formats: [...allFormats].sort().map((format) => ({ format, selected: format === filters.format })),
    apply: t(lang, 'city.apply'),
    filtered,
    reset: t(lang, 'city.reset'),
    resetUrl: urls.city(lang, location.slug, { date: filters.date }),
    moviesCount: tCount(lang, 'city.movies', movies.length),
    movies,
    emptyText: t(lang, emptyKey),
    started: t(lang, 'showtime.started'),
  };
}

export function errorPage(ctx: PageContext, status: number, message: string) {
  const { lang } = ctx;
  const titleKey: MessageKey =
    status === 404 ? 'error.notFoundTitle' : status === 400 ? 'error.badRequestTitle' : 'error.serverTitle';
  return {
    ...layout(ctx, t(lang, titleKey)),
    heading: t(lang, titleKey),
    message,
    back: t(lang, 'error.back'),
    backUrl: ctx.urls.home(lang),
  };
}
