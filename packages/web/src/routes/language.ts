import cookieParser from 'cookie-parser';
import type { Request, Response } from 'express';
import { Router } from 'express';
import { CITY_CATALOG, catalogCity } from '../domain/cities.ts';
import type { Lang } from '../domain/model.ts';
import { DEFAULT_LANG, isLang, negotiateLang } from '../i18n/index.ts';
import { readCookie, readSignedCookie, signedValue } from './cookies.ts';
import { VISITOR_COOKIE } from './pages.ts';

export const LANG_COOKIE = 'cs_lang';
export const CITY_COOKIE = 'cs_city';
const YEAR_MS = 365 * 86_400_000;

/** The visitor's language for URLs without one: their saved choice, else their browser's. */
export function preferredLang(req: Request, secret: string): Lang {
  const saved = readSignedCookie(req, LANG_COOKIE, secret);
  return isLang(saved) ? saved : negotiateLang(req.get('accept-language'));
}

/**
 * Remembers the city a visitor looked at last, in a signed cookie like the language one, so `/` can take them
 * back there. It is set on a first visit (which no cache answers) and when a visitor's remembered city is
 * another one (cinectl's nginx sends those past its microcache); a returning visitor on the city remembered,
 * or with no city remembered, gets no cookie, so their pages stay cacheable. The signed values are made once.
 */
export function cityMemory(basePath: string, secret: string): (req: Request, res: Response, slug: string) => void {
  const signed = new Map(CITY_CATALOG.map((city) => [city.slug, signedValue(city.slug, secret)]));
  return (req, res, slug) => {
    const value = signed.get(slug);
    const remembered = readCookie(req, CITY_COOKIE);
    const firstVisit = readCookie(req, VISITOR_COOKIE) === undefined;
    if (!value || remembered === value || (remembered === undefined && !firstVisit)) return;
    res.cookie(CITY_COOKIE, value, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      maxAge: YEAR_MS,
      path: basePath || '/',
    });
  };
}

function queryString(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at);
}

/**
 * `/lang/:lang` saves the choice; bare `/` and `/city/:slug` redirect to the preferred language, `/` to the
 * visitor's last city when they have one.
 */
export function languageRoutes(basePath: string, secret: string): Router {
  const router = Router();

  router.get('/lang/:lang', cookieParser(secret), (req: Request<{ lang: string }>, res: Response) => {
    const lang = isLang(req.params.lang) ? req.params.lang : DEFAULT_LANG;
    res.cookie(LANG_COOKIE, lang, {
      signed: true,
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      maxAge: YEAR_MS,
      path: basePath || '/',
    });
    const next = typeof req.query.next === 'string' ? req.query.next : '';
    const safe = next.startsWith(`${basePath}/`) && !next.startsWith('//') && !/[\\\r\n]/.test(next);
    res.set('Cache-Control', 'no-store').redirect(303, safe ? next : `${basePath}/${lang}/`);
  });

  const toPreferred = (req: Request, res: Response, path: string) => {
    res.set({ 'Cache-Control': 'private, no-cache', Vary: 'Cookie, Accept-Language' });
    res.redirect(302, `${basePath}/${preferredLang(req, secret)}${path}${queryString(req)}`);
  };
  router.get('/', (req, res) => {
    const city = readSignedCookie(req, CITY_COOKIE, secret);
    toPreferred(req, res, city && catalogCity(city) ? `/city/${city}` : '/');
  });
  router.get('/city/:slug', (req: Request<{ slug: string }>, res) =>
    toPreferred(req, res, `/city/${encodeURIComponent(req.params.slug)}`),
  );

  return router;
}
