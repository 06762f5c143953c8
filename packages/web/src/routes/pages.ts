import { createHash } from 'node:crypto';
import { type NextFunction, type Request, type Response, Router } from 'express';
import { VersionedCache } from '../domain/cache.ts';
import { catalogCity } from '../domain/cities.ts';
import type { Lang } from '../domain/model.ts';
import type { Clock, Showtimes } from '../domain/showtimes.ts';
import type { Visitors } from '../domain/visitors.ts';
import { isLang, LOCALES } from '../i18n/index.ts';
import { cityPage, homePage, type PageContext, VISITORS_MARK } from '../views/pages.ts';
import type { PageName } from '../views/render.ts';
import { Urls } from '../views/urls.ts';
import { readCookie } from './cookies.ts';
import { cityNotFound } from './http-error.ts';
import { knownParameters, parseDay, parseFilter, visitorOf } from './input.ts';

export const VISITOR_COOKIE = 'cs_visitor';
const YEAR_MS = 365 * 86_400_000;
const PAST_MARKS_REFRESH_MS = 5 * 60_000;

/**
 * A rendered page as bytes, split around the visitor count, so it can be cached and still show the current
 * count. Bytes, because encoding the text again on every request would cost more than everything else.
 */
export interface RenderedPage {
  head: Buffer;
  tail: Buffer;
  etag: string;
}

export function splitPage(html: string): RenderedPage {
  const at = html.indexOf(VISITORS_MARK);
  const head = at === -1 ? html : html.slice(0, at);
  const tail = at === -1 ? '' : html.slice(at + VISITORS_MARK.length);
  return {
    head: Buffer.from(head),
    tail: Buffer.from(tail),
    etag: createHash('sha1').update(html).digest('base64url'),
  };
}

export interface PageDeps {
  showtimes: Showtimes;
  clock: Clock;
  visitors: Visitors;
  render: (page: PageName, data: object) => string;
  context: (req: Request, lang: Lang) => PageContext;
  cacheMaxEntries: number;
  basePath: string;
}

const numberFormats = Object.fromEntries(
  Object.entries(LOCALES).map(([lang, locale]) => [lang, new Intl.NumberFormat(locale)]),
);

/** `/:lang/` (city picker) and `/:lang/city/:slug` (showtimes of a day). */
export function pageRoutes(deps: PageDeps): Router {
  const router = Router();
  const pages = new VersionedCache<RenderedPage>(deps.cacheMaxEntries);

  async function send(req: Request, res: Response, lang: Lang, page: RenderedPage): Promise<void> {
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
    res.set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      ETag: `W/"${page.etag}-${count}"`,
    });
    if (req.fresh) res.status(304).end();
    else
      res.send(Buffer.concat([page.head, Buffer.from(numberFormats[lang]?.format(count) ?? String(count)), page.tail]));
  }

  router.param('lang', (_req: Request, _res: Response, next: NextFunction, value: string) => {
    next(isLang(value) ? undefined : 'route');
  });

  router.get(['/:lang', '/:lang/'], async (req: Request<{ lang: Lang }>, res) => {
    if (!req.path.endsWith('/')) return res.redirect(301, `${deps.basePath}/${req.params.lang}/`);
    knownParameters(req.query, []);
    const lang = req.params.lang;
    const cities = await deps.showtimes.cities();
    await send(req, res, lang, splitPage(deps.render('home', homePage(deps.context(req, lang), cities))));
  });

  router.get('/:lang/city/:slug', async (req: Request<{ lang: Lang; slug: string }>, res) => {
    const { lang, slug } = req.params;
    const city = catalogCity(slug);
    if (!city) throw cityNotFound(slug);
    const today = deps.showtimes.today(city);
    const query = knownParameters(req.query, ['date', 'theater', 'format']);
    const filters = {
      date: parseDay(query.date, today),
      theater: parseFilter(query.theater),
      format: parseFilter(query.format),
    };
    const data = await deps.showtimes.forCity(slug, filters.date, filters.date, visitorOf(req));
    if (!data) throw cityNotFound(slug);
    const now = deps.clock();
    // Today's page marks showtimes that have started, so it is rendered anew every few minutes.
    const moment = filters.date === today ? Math.floor(now.getTime() / PAST_MARKS_REFRESH_MS) : '';
    const key = `${lang}|${slug}|${today}|${moment}|${filters.date}|${filters.theater ?? ''}|${filters.format ?? ''}|${data.location.status}|${data.notice ?? ''}`;
    let page = pages.get(key, data.version);
    if (!page) {
      // Links to this page in other languages name it canonically, so one cached page serves every spelling of its URL.
      const context = { ...deps.context(req, lang), pathAfterLang: Urls.cityPath(slug, filters) };
      page = splitPage(deps.render('city', cityPage(context, data, filters, today, now)));
      pages.set(key, data.version, page);
    }
    await send(req, res, lang, page);
  });

  return router;
}
