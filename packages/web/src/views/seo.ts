import { LANGS, type Lang } from '../domain/model.ts';
import type { Urls } from './urls.ts';

/** Open Graph's locale names (language_TERRITORY), matching the site's LOCALES. */
const OG_LOCALES: Record<Lang, string> = { uk: 'uk_UA', en: 'en_GB', ru: 'ru_UA' };

export interface HeadInput {
  lang: Lang;
  urls: Urls;
  /** Scheme and host, e.g. `https://cinestream.example`. */
  origin: string;
  title: string;
  description: string;
  /** The page's own path after the language (`/city/kyiv?date=…`), or undefined for pages not to index. */
  canonicalPath: string | undefined;
  /** A JSON-LD document for the page, when it has one. */
  jsonLd?: object;
}

/** JSON for a `<script type="application/ld+json">`: nothing in it can end the element. */
export function scriptJson(value: object): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** What a page's `<head>` tells search engines and link previews: absolute canonical, hreflang and og:url. */
export function headTags(input: HeadInput) {
  const { lang, urls, origin, canonicalPath } = input;
  const absolute = (code: Lang) => `${origin}${urls.base}/${code}${canonicalPath}`;
  return {
    canonical: canonicalPath === undefined ? '' : absolute(lang),
    robots: canonicalPath === undefined ? 'noindex' : '',
    alternates:
      canonicalPath === undefined
        ? []
        : [
            ...LANGS.map((code) => ({ hreflang: code, href: absolute(code) })),
            { hreflang: 'x-default', href: `${origin}${urls.base}${canonicalPath}` },
          ],
    og: {
      title: input.title,
      description: input.description,
      url: canonicalPath === undefined ? '' : absolute(lang),
      locale: OG_LOCALES[lang],
      alternateLocales: LANGS.filter((code) => code !== lang).map((code) => OG_LOCALES[code]),
    },
    jsonLd: input.jsonLd ? scriptJson(input.jsonLd) : '',
  };
}
