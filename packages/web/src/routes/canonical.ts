import type { RequestHandler } from 'express';
import { LANGS } from '../domain/model.ts';

/** Spellings of city slugs people still type or link (the Russian-era transliterations). */
const OLD_SLUGS: Record<string, string> = {
  kiev: 'kyiv',
  lvov: 'lviv',
  odessa: 'odesa',
  kharkov: 'kharkiv',
  dnepr: 'dnipro',
  dnipropetrovsk: 'dnipro',
  vinnitsa: 'vinnytsia',
};

const SLUG = /^[a-z0-9-]+$/i;
const LANG_SET = new Set<string>(LANGS);
// A page path that may be a variant: upper case, a trailing slash after a city, or an old slug.
const MAYBE_VARIANT = /[A-Z]|\/city\/[^/]+\/$|^\/(?:[a-z]{2}\/)?(?:city\/)?[a-z]+\/?$/;

/**
 * The canonical spelling of a page path, or undefined when `path` is canonical or not a page:
 * `/uk/city/Kyiv` and `/uk/city/kyiv/` → `/uk/city/kyiv`, `/UK/` → `/uk/`, `/kiev` → `/city/kyiv`.
 */
export function canonicalPath(path: string): string | undefined {
  if (!MAYBE_VARIANT.test(path)) return undefined;
  const parts = path.split('/').slice(1);
  const lang = parts[0]?.toLowerCase() ?? '';
  const hasLang = LANG_SET.has(lang);
  const rest = hasLang ? parts.slice(1) : parts;
  let canonical: string;
  if (rest.length === 0 || (rest.length === 1 && rest[0] === '')) {
    if (!hasLang) return undefined;
    canonical = `/${lang}/`;
  } else if (
    rest[0]?.toLowerCase() === 'city' &&
    SLUG.test(rest[1] ?? '') &&
    (rest.length === 2 || (rest.length === 3 && !rest[2]))
  ) {
    const slug = (rest[1] ?? '').toLowerCase();
    canonical = `${hasLang ? `/${lang}` : ''}/city/${OLD_SLUGS[slug] ?? slug}`;
  } else if (rest.length <= 2 && !rest[1] && rest[0] && OLD_SLUGS[rest[0].toLowerCase()]) {
    canonical = `${hasLang ? `/${lang}` : ''}/city/${OLD_SLUGS[rest[0].toLowerCase()]}`;
  } else {
    return undefined;
  }
  return canonical === path ? undefined : canonical;
}

/** 301s a variant spelling of a page URL to its canonical one, keeping the query. */
export function canonicalRedirects(basePath: string): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const canonical = canonicalPath(req.path);
    if (canonical === undefined) return next();
    const at = req.originalUrl.indexOf('?');
    res.redirect(301, `${basePath}${canonical}${at === -1 ? '' : req.originalUrl.slice(at)}`);
  };
}
