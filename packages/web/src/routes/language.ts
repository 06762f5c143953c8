import cookieParser from 'cookie-parser';
import type { Request, Response } from 'express';
import { Router } from 'express';
import type { Lang } from '../domain/model.ts';
import { DEFAULT_LANG, isLang, negotiateLang } from '../i18n/index.ts';
import { readSignedCookie } from './cookies.ts';

export const LANG_COOKIE = 'cs_lang';
const YEAR_MS = 365 * 86_400_000;

/** The visitor's language for URLs without one: their saved choice, else their browser's. */
export function preferredLang(req: Request, secret: string): Lang {
  const saved = readSignedCookie(req, LANG_COOKIE, secret);
  return isLang(saved) ? saved : negotiateLang(req.get('accept-language'));
}

function queryString(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at === -1 ? '' : req.originalUrl.slice(at);
}

/** `/lang/:lang` saves the choice; bare `/` and `/city/:slug` redirect to the preferred language. */
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
  router.get('/', (req, res) => toPreferred(req, res, '/'));
  router.get('/city/:slug', (req: Request<{ slug: string }>, res) =>
    toPreferred(req, res, `/city/${encodeURIComponent(req.params.slug)}`),
  );

  return router;
}
