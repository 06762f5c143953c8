import { LANGS, type Location, type Movie } from '../domain/model.ts';
import { Urls } from './urls.ts';

/** One page of the site in every language: `path` is what follows the language (`/city/kyiv?date=…`). */
export interface SitemapPage {
  path: string;
  lastmod?: string;
}

/** What a city contributes: its page for each stored day from today, and a page per cinema and per film. */
export function cityPages(location: Location, movies: Movie[], today: string): SitemapPage[] {
  const lastmod = location.lastScrapeAt?.slice(0, 10);
  const pages: SitemapPage[] = [{ path: Urls.cityPath(location.slug), lastmod }];
  for (const day of location.coveredDays) {
    if (day > today) pages.push({ path: Urls.cityPath(location.slug, { date: day }), lastmod });
  }
  for (const theater of location.theaters) {
    pages.push({ path: Urls.cinemaPath(location.slug, theater.key), lastmod });
  }
  for (const movie of movies) pages.push({ path: Urls.filmPath(location.slug, movie.key), lastmod });
  return pages;
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[char]};`);

/**
 * A sitemap (sitemaps.org 0.9) listing each page once per language, each entry naming its other languages
 * with `xhtml:link` alternates as Google asks for multilingual pages. `siteUrl` is origin plus base path.
 */
export function sitemapXml(siteUrl: string, pages: SitemapPage[]): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
  ];
  for (const page of pages) {
    const alternates = LANGS.map(
      (lang) =>
        `<xhtml:link rel="alternate" hreflang="${lang}" href="${escapeXml(`${siteUrl}/${lang}${page.path}`)}"/>`,
    ).join('');
    for (const lang of LANGS) {
      const lastmod = page.lastmod ? `<lastmod>${page.lastmod}</lastmod>` : '';
      lines.push(`<url><loc>${escapeXml(`${siteUrl}/${lang}${page.path}`)}</loc>${lastmod}${alternates}</url>`);
    }
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}

/** Crawlers may read every page, not the API or the language switch (it only redirects and sets a cookie). */
export function robotsTxt(origin: string, basePath: string): string {
  return [
    'User-agent: *',
    `Disallow: ${basePath}/api/`,
    `Disallow: ${basePath}/lang/`,
    'Allow: /',
    '',
    `Sitemap: ${origin}${basePath}/sitemap.xml`,
    '',
  ].join('\n');
}
