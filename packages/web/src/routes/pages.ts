import { type NextFunction, type Request, type Response, Router } from 'express';
import { VersionedCache } from '../domain/cache.ts';
import { catalogCity } from '../domain/cities.ts';
import type { Day, Lang } from '../domain/model.ts';
import { HORIZON_DAYS } from '../domain/planner.ts';
import { AUDIO_CHOICES, PARTS_OF_DAY, SORTS } from '../domain/schedule.ts';
import type { CityShowtimes, Clock, Showtimes } from '../domain/showtimes.ts';
import { addDays } from '../domain/time.ts';
import type { Visitors } from '../domain/visitors.ts';
import { isLang, LOCALES } from '../i18n/index.ts';
import { cinemaPage } from '../views/cinema-page.ts';
import { filmPage } from '../views/film-page.ts';
import { type CityFilters, cityPage, homePage, type PageContext } from '../views/pages.ts';
import type { PageName } from '../views/render.ts';
import { searchPage } from '../views/search-page.ts';
import { findTheater } from '../views/showing-view.ts';
import { Urls } from '../views/urls.ts';
import { CachedPage } from './cached-page.ts';
import { sendEncoded } from './compression.ts';
import { readCookie } from './cookies.ts';
import { cityNotFound, HttpError } from './http-error.ts';
import { knownParameters, parseDay, parseFilter, visitorOf } from './input.ts';
import { parseChoice, parseSearch } from './page-input.ts';

export const VISITOR_COOKIE = 'cs_visitor';
const YEAR_MS = 365 * 86_400_000;
const PAST_MARKS_REFRESH_MS = 5 * 60_000;

export interface PageDeps {
  showtimes: Showtimes;
  clock: Clock;
  visitors: Visitors;
  render: (page: PageName, data: object) => string;
  context: (req: Request, lang: Lang) => PageContext;
  cacheMaxEntries: number;
  basePath: string;
  /** Pages hold absolute links, so each origin they are asked under has its own cached copy. */
  origin: (req: Request) => string;
  rememberCity: (req: Request, res: Response, slug: string) => void;
}

const numberFormats = Object.fromEntries(
  Object.entries(LOCALES).map(([lang, locale]) => [lang, new Intl.NumberFormat(locale)]),
);

/** `/:lang/` (city picker), `/:lang/city/:slug` (showtimes of a day), and a city's cinema, film and search pages. */
export function pageRoutes(deps: PageDeps): Router {
  const router = Router();
  const pages = new VersionedCache<CachedPage>(deps.cacheMaxEntries);

  async function send(req: Request, res: Response, lang: Lang, page: CachedPage, city?: string): Promise<void> {
    let count: number;
    // Only "seen before" is stored, so the cookie needs no signature: forging it just goes uncounted. HEAD counts no one.
    if (readCookie(req, VISITOR_COOKIE) === '1' || req.method === 'HEAD') {
      count = await deps.visitors.total();
    } else {
      count = await deps.visitors.arrive();
      res.cookie(VISITOR_COOKIE, '1', {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        maxAge: YEAR_MS,
        path: deps.basePath || '/',
      });
    }
    if (city) deps.rememberCity(req, res, city);
    res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    sendEncoded(req, res, page.bodies(numberFormats[lang]?.format(count) ?? String(count)));
  }

  router.param('lang', (_req: Request, _res: Response, next: NextFunction, value: string) => {
    next(isLang(value) ? undefined : 'route');
  });

  router.get(['/:lang', '/:lang/'], async (req: Request<{ lang: Lang }>, res) => {
    if (!req.path.endsWith('/')) return res.redirect(301, `${deps.basePath}/${req.params.lang}/`);
    knownParameters(req.query, []);
    const lang = req.params.lang;
    const cities = await deps.showtimes.cities();
    const versions = cities.map((city) => `${city.slug}:${city.version}`).join(',');
    const page = cached(req, `home|${lang}|${versions}`, 0, () =>
      deps.render('home', homePage({ ...deps.context(req, lang), pathAfterLang: '/' }, cities)),
    );
    await send(req, res, lang, page);
  });

  /** A page from the cache, or built, rendered and cached under the city's data version. */
  function cached(req: Request, key: string, version: number, build: () => string): CachedPage {
    // Pages hold absolute links, so each origin they are asked under has its own copy.
    const originKey = `${deps.origin(req)}|${key}`;
    let page = pages.get(originKey, version);
    if (!page) {
      page = new CachedPage(build());
      pages.set(originKey, version, page);
    }
    return page;
  }

  /** Today's pages mark what has started, so they are rendered anew every few minutes. */
  function moment(day: string, today: string): string {
    return day === today ? String(Math.floor(deps.clock().getTime() / PAST_MARKS_REFRESH_MS)) : '';
  }

  /**
   * The city's stored days from–to, and what `find` picks from them. Only when it finds something is the fetch
   * of missing days started (and the days read again): a cinema or film not stored is a 404 that spends no Gemini call.
   */
  async function storedThen<T>(req: Request, slug: string, from: Day, to: Day, find: (data: CityShowtimes) => T) {
    const stored = await deps.showtimes.forCity(slug, from, to, { ...visitorOf(req), startsFetch: false });
    if (!stored) throw cityNotFound(slug);
    const found = find(stored);
    if (found === undefined || !visitorOf(req).startsFetch) return { data: stored, found };
    const data = (await deps.showtimes.forCity(slug, from, to, visitorOf(req))) ?? stored;
    return { data, found: find(data) ?? found };
  }

  async function horizonOf(req: Request, slug: string) {
    const city = catalogCity(slug);
    if (!city) throw cityNotFound(slug);
    const today = deps.showtimes.today(city);
    const data = await deps.showtimes.forCity(slug, today, addDays(today, HORIZON_DAYS - 1), visitorOf(req));
    if (!data) throw cityNotFound(slug);
    return { data, today };
  }

  router.get('/:lang/city/:slug', async (req: Request<{ lang: Lang; slug: string }>, res) => {
    const { lang, slug } = req.params;
    const city = catalogCity(slug);
    if (!city) throw cityNotFound(slug);
    const today = deps.showtimes.today(city);
    const query = knownParameters(req.query, ['date', 'theater', 'format', 'time', 'audio', 'sort']);
    const filters: CityFilters = {
      date: parseDay(query.date, today),
      theater: parseFilter(query.theater),
      format: parseFilter(query.format),
      time: parseChoice(query.time, PARTS_OF_DAY),
      audio: parseChoice(query.audio, AUDIO_CHOICES),
      sort: parseChoice(query.sort, SORTS),
    };
    const data = await deps.showtimes.forCity(slug, filters.date, filters.date, visitorOf(req));
    if (!data) throw cityNotFound(slug);
    const { date, theater, format, time, audio, sort } = filters;
    const key = `city|${lang}|${slug}|${today}|${moment(date, today)}|${date}|${theater ?? ''}|${format ?? ''}|${time ?? ''}|${audio ?? ''}|${sort ?? ''}|${data.location.status}|${data.notice ?? ''}`;
    const page = cached(req, key, data.version, () => {
      // Links to this page in other languages name it canonically, so one cached page serves every spelling of its URL.
      const context = { ...deps.context(req, lang), pathAfterLang: Urls.cityPath(slug, { ...filters }) };
      return deps.render('city', cityPage(context, data, filters, today, deps.clock()));
    });
    await send(req, res, lang, page, slug);
  });

  router.get('/:lang/city/:slug/cinema/:key', async (req: Request<{ lang: Lang; slug: string; key: string }>, res) => {
    const { lang, slug, key: theaterKey } = req.params;
    const city = catalogCity(slug);
    if (!city) throw cityNotFound(slug);
    const today = deps.showtimes.today(city);
    const date = parseDay(knownParameters(req.query, ['date']).date, today);
    const { data, found: theater } = await storedThen(req, slug, date, date, (stored) =>
      findTheater(stored.location, stored.movies, theaterKey),
    );
    if (!theater)
      throw new HttpError(404, 'cinema_not_found', 'error.cinemaNotFound', { key: theaterKey.slice(0, 40) });
    const key = `cinema|${lang}|${slug}|${theaterKey}|${today}|${moment(date, today)}|${date}`;
    const page = cached(req, key, data.version, () => {
      const context = { ...deps.context(req, lang), pathAfterLang: Urls.cinemaPath(slug, theaterKey, { date }) };
      return deps.render('cinema', cinemaPage(context, data, theater, date, today, deps.clock()));
    });
    await send(req, res, lang, page);
  });

  router.get('/:lang/city/:slug/film/:key', async (req: Request<{ lang: Lang; slug: string; key: string }>, res) => {
    const { lang, slug, key: movieKey } = req.params;
    knownParameters(req.query, []);
    const city = catalogCity(slug);
    if (!city) throw cityNotFound(slug);
    const today = deps.showtimes.today(city);
    const { data, found: movie } = await storedThen(req, slug, today, addDays(today, HORIZON_DAYS - 1), (stored) =>
      stored.movies.find((candidate) => candidate.key === movieKey),
    );
    if (!movie) throw new HttpError(404, 'film_not_found', 'error.filmNotFound', { key: movieKey.slice(0, 40) });
    const page = cached(req, `film|${lang}|${slug}|${movieKey}|${today}|${moment(today, today)}`, data.version, () => {
      const context = { ...deps.context(req, lang), pathAfterLang: Urls.filmPath(slug, movieKey) };
      return deps.render('film', filmPage(context, data, movie, deps.clock()));
    });
    await send(req, res, lang, page);
  });

  router.get('/:lang/city/:slug/search', async (req: Request<{ lang: Lang; slug: string }>, res) => {
    const { lang, slug } = req.params;
    const query = parseSearch(knownParameters(req.query, ['q']).q);
    const { data, today } = await horizonOf(req, slug);
    const page = cached(req, `search|${lang}|${slug}|${today}|${moment(today, today)}|${query}`, data.version, () => {
      const context = { ...deps.context(req, lang), pathAfterLang: Urls.searchPath(slug, query) };
      return deps.render('search', searchPage(context, data, query, deps.clock()));
    });
    await send(req, res, lang, page);
  });

  return router;
}
