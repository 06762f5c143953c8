import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startTestApp, type TestApp } from '../../test/support/app.ts';
import { CITY_CATALOG } from '../domain/cities.ts';
import { LANGS, type Lang } from '../domain/model.ts';
import { sampleTheaters } from '../domain/sample/theaters.ts';
import { catalogs, negotiateLang, t, tCount } from './index.ts';

describe('catalogs', () => {
  it('translate every key into every language, with the same placeholders', () => {
    const keys = Object.keys(catalogs.uk).sort();
    for (const lang of LANGS) {
      expect(Object.keys(catalogs[lang]).sort(), lang).toEqual(keys);
      for (const key of keys) {
        const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        const value = catalogs[lang][key as keyof typeof catalogs.uk];
        expect(value.trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(value), `${lang} ${key}`).toEqual(
          placeholders(catalogs.uk[key as keyof typeof catalogs.uk]),
        );
      }
    }
  });

  it('count in each language’s plural forms', () => {
    expect([1, 2, 5, 21, 22, 25].map((n) => tCount('uk', 'city.movies', n))).toEqual([
      '1 фільм',
      '2 фільми',
      '5 фільмів',
      '21 фільм',
      '22 фільми',
      '25 фільмів',
    ]);
    expect([1, 3, 11].map((n) => tCount('ru', 'home.days', n))).toEqual([
      'Расписание на 1 день',
      'Расписание на 3 дня',
      'Расписание на 11 дней',
    ]);
    expect([1, 14].map((n) => tCount('en', 'home.days', n))).toEqual(['Showtimes for 1 day', 'Showtimes for 14 days']);
  });

  it('fill placeholders', () => expect(t('en', 'city.heading', { city: 'Lviv' })).toBe('Movies in Lviv'));
});

describe('negotiateLang', () => {
  it.each([
    [undefined, 'uk'],
    ['', 'uk'],
    ['en-US,en;q=0.9', 'en'],
    ['de-DE,ru;q=0.7,en;q=0.5', 'ru'],
    ['en;q=0.2, uk;q=0.9', 'uk'],
    ['fr, de', 'uk'],
    ['en;q=0', 'uk'],
    ['*', 'uk'],
  ])('%j → %s', (header, lang) => expect(negotiateLang(header)).toBe(lang));
});

/** Text a visitor sees (or a screen reader reads), without the language switch, whose names are in their own languages. */
function visibleText(html: string): string[] {
  const withoutSwitch = html.replace(/<a [^>]*\blang="[a-z]+"[^>]*>[^<]*<\/a>/g, '');
  const attributes = [...withoutSwitch.matchAll(/\b(?:alt|title|aria-label|content)="([^"]*)"/g)].map(
    (m) => m[1] ?? '',
  );
  const body = withoutSwitch
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return [...body, ...attributes].map((text) =>
    text
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  );
}

/** Fixed parts of a catalog message: the text around its placeholders. */
function fragments(message: string): string[] {
  return message
    .split(/\{\w+\}/)
    .map((part) => part.trim())
    .filter((part) => part.length >= 4);
}

describe('pages show only their own language', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({
      now: new Date('2026-11-24T10:00:00Z'),
      config: { donateUrl: 'https://donate.example/' },
    });
  });
  afterAll(() => app.close());

  const pages = (lang: Lang) => [
    `/${lang}/`,
    `/${lang}/city/kyiv?date=2026-11-24`,
    `/${lang}/city/lviv?date=2026-11-25&format=3D`,
    `/${lang}/city/kyiv?date=2026-11-24&format=IMAX&theater=kyiv-sample-4`,
    `/${lang}/city/atlantis`,
    `/${lang}/city/kyiv?date=2026-13-01`,
    `/${lang}/city/kyiv?date=2026-11-24&time=evening&audio=subtitled&sort=film`,
    `/${lang}/city/kyiv?date=2027-01-10`,
    `/${lang}/city/kyiv/cinema/kyiv-sample-1?date=2026-11-25`,
    `/${lang}/city/kyiv/film/deep-orbit`,
    `/${lang}/city/kyiv/search?q=orbit`,
    `/${lang}/city/kyiv/search?q=zzzz`,
  ];

  const theaterNames = CITY_CATALOG.flatMap((city) =>
    sampleTheaters(city.slug).flatMap((theater) => [theater.name, ...Object.values(theater.names ?? {})]),
  );

  for (const lang of LANGS) {
    it(`${lang}: no catalog key and no string of another language`, async () => {
      const keys = Object.keys(catalogs.uk);
      const own = new Set(Object.values(catalogs[lang]).flatMap(fragments));
      const foreign = LANGS.filter((other) => other !== lang)
        .flatMap((other) => Object.values(catalogs[other]).flatMap(fragments))
        .filter((fragment) => !own.has(fragment) && ![...own].some((mine) => mine.includes(fragment)));
      for (const path of pages(lang)) {
        const html = await (await get(`${app.url}${path}`)).text();
        expect(html, path).toContain(`<html lang="${lang}">`);
        // Cinema names are data, written as the cinemas write them, not catalog strings.
        const texts = visibleText(html).map((text) =>
          theaterNames.reduce((rest, name) => rest.replaceAll(name, ''), text),
        );
        expect(texts.length, path).toBeGreaterThan(5);
        // One check per page, not per text and string: the pages hold thousands of texts.
        const shown = [...new Set(texts)].join('\n');
        expect(
          keys.filter((key) => shown.includes(key)),
          `${path}: catalog keys shown`,
        ).toEqual([]);
        expect(
          foreign.filter((fragment) => shown.includes(fragment)),
          `${path}: not ${lang}`,
        ).toEqual([]);
      }
    });
  }
});
