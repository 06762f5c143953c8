import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookiesFrom, get, json, startTestApp, type TestApp } from '../test/support/app.ts';
import { VISITOR_COUNTER } from './domain/visitors.ts';

const NOW = new Date('2026-11-24T10:00:00Z'); // 12:00 in Kyiv
const TODAY = '2026-11-24';

describe('the site over HTTP (sqlite store, sample data)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: NOW, config: { donateUrl: 'https://donate.example/cinestream' } });
  });
  afterAll(() => app.close());

  it('answers /healthz with port and store', async () => {
    const response = await get(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: 'ok', port: 8001, store: 'sqlite' });
  });

  it('sends a bare URL to the browser language, Ukrainian by default', async () => {
    expect((await get(`${app.url}/`)).headers.get('location')).toBe('/uk/');
    expect((await get(`${app.url}/`, { 'accept-language': 'de-DE,en;q=0.8,ru;q=0.5' })).headers.get('location')).toBe(
      '/en/',
    );
    const city = await get(`${app.url}/city/kyiv?date=${TODAY}`, { 'accept-language': 'ru' });
    expect(city.status).toBe(302);
    expect(city.headers.get('location')).toBe(`/ru/city/kyiv?date=${TODAY}`);
  });

  it('remembers the language switch in a signed, HttpOnly, SameSite=Lax cookie', async () => {
    const switched = await get(`${app.url}/lang/en?next=${encodeURIComponent('/en/city/kyiv')}`);
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe('/en/city/kyiv');
    const setCookie = switched.headers.getSetCookie().find((cookie) => cookie.startsWith('cs_lang='));
    expect(setCookie).toMatch(/^cs_lang=s%3Aen\./);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);
    const bare = await get(`${app.url}/`, { cookie: cookiesFrom(switched), 'accept-language': 'uk' });
    expect(bare.headers.get('location')).toBe('/en/');
    const forged = await get(`${app.url}/`, { cookie: 'cs_lang=en', 'accept-language': 'ru' });
    expect(forged.headers.get('location')).toBe('/ru/');
  });

  it('marks cookies Secure behind a TLS proxy', async () => {
    const switched = await get(`${app.url}/lang/ru?next=/ru/`, { 'x-forwarded-proto': 'https' });
    expect(switched.headers.getSetCookie().join()).toMatch(/Secure/);
  });

  it('never redirects off the site after a language switch', async () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const response = await get(`${app.url}/lang/uk?next=${encodeURIComponent(next)}`);
      expect(response.headers.get('location')).toBe('/uk/');
    }
  });

  it('lists the catalog cities in the page language, with their sample days', async () => {
    const uk = await (await get(`${app.url}/uk/`)).text();
    expect(uk.match(/Розклад на 14 днів/g)).toHaveLength(6);
    const en = await (await get(`${app.url}/en/`)).text();
    expect(uk).toContain('Київ');
    expect(uk).toContain('Львів');
    expect(en).toContain('Kyiv');
    expect(en).toContain('Lviv');
    expect(en).not.toContain('Київ');
    expect(en).toContain('href="/en/city/kyiv"');
  });

  it('shows a city day with movie cards, day tabs, sample-data note and language alternates', async () => {
    const response = await get(`${app.url}/en/city/kyiv?date=${TODAY}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toMatch(/<article aria-labelledby="movie-[a-z-]+">/);
    expect(html.match(/<time datetime="\d{4}-\d{2}-\d{2}">/g)).toHaveLength(14);
    expect(html).toContain('aria-current="date"');
    expect(html).toContain('Sample data');
    expect(html).toContain(`<link rel="alternate" hreflang="uk" href="${app.url}/uk/city/kyiv">`);
    expect(html).toContain('https://donate.example/cinestream');
    const times = [...html.matchAll(/<time class="time" datetime="([^"]+)">(\d\d:\d\d)<\/time>/g)];
    expect(times.length).toBeGreaterThan(5);
    for (const [, datetime, shown] of times) {
      expect(datetime?.startsWith(`${TODAY}T${shown}:00+02:00`)).toBe(true);
    }
  });

  it('marks the showtimes that have started today, and only those', async () => {
    const showtimes = (html: string) =>
      [
        ...html.matchAll(
          /<li( class="past")?><(?:a|span) class="showtime"[^>]*><time class="time" datetime="([^"]+)"/g,
        ),
      ].map((m) => ({ past: Boolean(m[1]), startsAt: Date.parse(m[2] ?? '') }));
    const today = showtimes(await (await get(`${app.url}/en/city/kyiv?date=${TODAY}`)).text());
    expect(today.some((showtime) => showtime.past)).toBe(true);
    expect(today.some((showtime) => !showtime.past)).toBe(true);
    for (const showtime of today) expect(showtime.past).toBe(showtime.startsAt < NOW.getTime());
    const tomorrow = showtimes(await (await get(`${app.url}/en/city/kyiv?date=2026-11-25`)).text());
    expect(tomorrow.length).toBeGreaterThan(0);
    expect(tomorrow.every((showtime) => !showtime.past)).toBe(true);
  });

  it('filters by theater and by format', async () => {
    const all = await (await get(`${app.url}/en/city/kyiv?date=${TODAY}`)).text();
    const imax = await (await get(`${app.url}/en/city/kyiv?date=${TODAY}&format=IMAX`)).text();
    const formats = (html: string) =>
      new Set([...html.matchAll(/<abbr class="format" title="[^"]+">([^<]+)</g)].map((m) => m[1]));
    expect(formats(all).size).toBeGreaterThan(1);
    expect([...formats(imax)].every((format) => format === 'IMAX')).toBe(true);
    const theater = await (await get(`${app.url}/en/city/kyiv?date=${TODAY}&theater=kyiv-sample-2`)).text();
    const shownTheaters = new Set([...theater.matchAll(/<h3><a [^>]+>([^<]+)<\/a><\/h3>/g)].map((m) => m[1]));
    expect([...shownTheaters]).toEqual(['Obolon Cinema']);
  });

  it('answers an unknown city with a localized 404, page and API alike', async () => {
    const page = await get(`${app.url}/uk/city/atlantis`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Міста «atlantis» немає в нашому каталозі.');
    const api = await get(`${app.url}/api/cities/atlantis/showtimes`, { 'accept-language': 'en' });
    expect(api.status).toBe(404);
    expect(await json(api)).toEqual({
      error: { status: 404, code: 'city_not_found', message: 'The city “atlantis” is not in our catalog.' },
    });
  });

  it('answers malformed dates and ranges with a localized 400, never a 500', async () => {
    const page = await get(`${app.url}/ru/city/kyiv?date=2026-02-30`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Неправильная дата «2026-02-30»');
    for (const query of [
      'from=yesterday',
      'from=2026-11-25&to=2026-11-24',
      'from=2026-11-24&to=2026-12-24',
      'from=a&from=b',
    ]) {
      const api = await get(`${app.url}/api/cities/kyiv/showtimes?${query}`);
      expect(api.status, query).toBe(400);
      expect((await json(api)).error.code).toMatch(/^bad_(date|range)$/);
    }
    expect((await get(`${app.url}/en/city/kyiv?theater=<script>`)).status).toBe(400);
    const malformed = await get(`${app.url}/en/city/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('The page address is malformed.');
    expect((await get(`${app.url}/en/nowhere`)).status).toBe(404);
  });

  it('serves the movie-centric showtimes API for the horizon', async () => {
    const response = await get(`${app.url}/api/cities/lviv/showtimes?from=${TODAY}&to=2026-11-26`);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.city).toEqual({
      slug: 'lviv',
      names: { uk: 'Львів', en: 'Lviv', ru: 'Львов' },
      timezone: 'Europe/Kyiv',
    });
    expect(body.status).toBe('idle');
    expect(body.coverage.from).toBe(TODAY);
    expect(body.coverage.days).toHaveLength(14);
    expect(body.movies.length).toBeGreaterThan(0);
    for (const movie of body.movies) {
      for (const theater of movie.theaters) {
        for (const showtime of theater.showtimes) {
          expect(showtime.startsAt.slice(0, 10) >= TODAY && showtime.startsAt.slice(0, 10) <= '2026-11-26').toBe(true);
        }
      }
    }
    const again = await get(`${app.url}/api/cities/lviv/showtimes?from=${TODAY}&to=2026-11-26`, {
      'if-none-match': response.headers.get('etag') ?? '',
      // fetch adds `cache-control: no-cache` to conditional requests unless told otherwise; browsers send this.
      'cache-control': 'max-age=0',
    });
    expect(again.status).toBe(304);
  });

  it('lists cities and their status in the API', async () => {
    const cities = (await json(await get(`${app.url}/api/cities`))).cities;
    expect(cities.map((city: { slug: string }) => city.slug)).toContain('kyiv');
    const status = await json(await get(`${app.url}/api/cities/kyiv/status`));
    expect(status).toMatchObject({ slug: 'kyiv', status: 'idle', progress: null });
  });

  it('counts a visitor once and shows the count in the footer', async () => {
    const first = await get(`${app.url}/uk/`);
    const cookie = cookiesFrom(first);
    expect(cookie).toMatch(/cs_visitor=/);
    const before = await app.store.counter(VISITOR_COUNTER);
    await get(`${app.url}/uk/`, { cookie });
    await get(`${app.url}/uk/city/kyiv`, { cookie });
    expect(await app.store.counter(VISITOR_COUNTER)).toBe(before);
    await get(`${app.url}/uk/`);
    expect(await app.store.counter(VISITOR_COUNTER)).toBe(before + 1);
    expect(await (await get(`${app.url}/uk/`, { cookie })).text()).toMatch(/Відвідувачів: \d+/);
  });

  it('sends security headers with a CSP that needs no unsafe-inline', async () => {
    const response = await get(`${app.url}/uk/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});

describe('under a path prefix', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: NOW, config: { basePath: '/cinestream' } });
  });
  afterAll(() => app.close());

  it('serves everything below BASE_PATH', async () => {
    expect((await get(`${app.url}/cinestream/healthz`)).status).toBe(200);
    expect((await get(`${app.url}/cinestream/`)).headers.get('location')).toBe('/cinestream/uk/');
    const html = await (await get(`${app.url}/cinestream/uk/city/odesa`)).text();
    const links = [...html.matchAll(/(?:href|action)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThan(20);
    for (const link of links.filter((href) => href.startsWith('/'))) expect(link).toMatch(/^\/cinestream\//);
    const css = links.find((href) => href.includes('style.css')) ?? '';
    expect((await get(`${app.url}${css}`)).headers.get('content-type')).toMatch(/text\/css/);
    expect((await get(`${app.url}/uk/`)).status).toBe(404);
    const apiError = await get(`${app.url}/cinestream/api/cities/atlantis/status`);
    expect(apiError.status).toBe(404);
    expect((await json(apiError)).error.code).toBe('city_not_found');
  });
});

describe('per-worker cache', () => {
  it('never serves a city older than what another worker wrote', async () => {
    const first = await startTestApp({ now: NOW });
    const second = await startTestApp({ now: NOW, dbFile: first.dbFile });
    try {
      const url = (app: TestApp) => `${app.url}/api/cities/kyiv/showtimes?from=${TODAY}&to=${TODAY}`;
      const before = await json(await get(url(first)));
      expect(before.movies.some((movie: { key: string }) => movie.key === 'brand-new')).toBe(false);
      await second.store.upsertMovie(
        {
          city: 'kyiv',
          key: 'brand-new',
          titles: { uk: 'Новинка', en: 'Brand New' },
          genres: [],
          theaters: [
            {
              theaterKey: 'kyiv-sample-1',
              name: 'Кінотеатр «Поділ»',
              showtimes: [{ startsAt: `${TODAY}T21:00:00+02:00`, format: '2D' }],
            },
          ],
        },
        NOW,
      );
      const after = await json(await get(url(first)));
      expect(after.movies.some((movie: { key: string }) => movie.key === 'brand-new')).toBe(true);
      const page = await (await get(`${first.url}/en/city/kyiv?date=${TODAY}`)).text();
      expect(page).toContain('Brand New');
    } finally {
      await second.close();
      await first.close();
    }
  });
});

describe('when the store fails', () => {
  it('answers 500 with a localized sentence and no internals', async () => {
    const app = await startTestApp({ now: NOW });
    await app.store.close();
    try {
      const page = await get(`${app.url}/en/city/kyiv`);
      expect(page.status).toBe(500);
      const html = await page.text();
      expect(html).toContain('An error happened on our side. Please try again in a minute.');
      expect(html).not.toMatch(/sqlite|database|at .*\.ts/i);
      const api = await get(`${app.url}/api/cities/kyiv/showtimes`, { 'accept-language': 'uk' });
      expect(api.status).toBe(500);
      expect((await json(api)).error).toEqual({
        status: 500,
        code: 'server_error',
        message: 'Сталася помилка на нашому боці. Спробуйте ще раз за хвилину.',
      });
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
