import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, json, startTestApp, type TestApp } from '../test/support/app.ts';

const NOW = new Date('2026-11-24T18:40:00Z'); // 20:40 in Kyiv
const SITE = 'https://cinestream.example';

describe('share and search (PUBLIC_URL set)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: NOW, config: { publicUrl: SITE } });
  });
  afterAll(() => app.close());

  it('301s trailing-slash, upper-case and old spellings to the canonical URL, keeping the query', async () => {
    for (const [from, to] of [
      ['/uk/city/kyiv/', '/uk/city/kyiv'],
      ['/uk/city/Kyiv?date=2026-11-25', '/uk/city/kyiv?date=2026-11-25'],
      ['/kiev', '/city/kyiv'],
      ['/en/city/odessa', '/en/city/odesa'],
    ] as const) {
      const response = await get(`${app.url}${from}`);
      expect([from, response.status, response.headers.get('location')]).toEqual([from, 301, to]);
    }
  });

  it('gives a city day absolute canonical and hreflang links, a title and description with the day, and previews', async () => {
    const html = await (await get(`${app.url}/en/city/kyiv?date=2026-11-25&theater=kyiv-sample-1`)).text();
    const canonical = `${SITE}/en/city/kyiv?date&#x3D;2026-11-25`;
    expect(html).toContain(`<link rel="canonical" href="${canonical}">`);
    expect(html).toContain(`<link rel="alternate" hreflang="uk" href="${SITE}/uk/city/kyiv?date&#x3D;2026-11-25">`);
    expect(html).toContain(`<link rel="alternate" hreflang="x-default" href="${SITE}/city/kyiv?date&#x3D;2026-11-25">`);
    expect(html).toMatch(/<title>Movies in Kyiv, Wednesday,? 25 November: showtimes · CineStream<\/title>/);
    expect(html).toMatch(
      /<meta name="description" content="Movie showtimes in Kyiv for Wednesday,? 25 November: \d+ films/,
    );
    expect(html).toContain(`<meta property="og:url" content="${canonical}">`);
    expect(html).toContain('<meta property="og:locale" content="en_GB">');
    const today = await (await get(`${app.url}/uk/city/kyiv`)).text();
    expect(today).toContain(`<link rel="canonical" href="${SITE}/uk/city/kyiv">`);
    expect(today).toMatch(/<title>Кіно в місті Київ, вівторок, 24 листопада/);
  });

  it('embeds JSON-LD of the showings still to come', async () => {
    const html = await (await get(`${app.url}/en/city/kyiv`)).text();
    const script = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}';
    const graph = JSON.parse(script)['@graph'] as { '@type': string; startDate?: string }[];
    const events = graph.filter((node) => node['@type'] === 'ScreeningEvent');
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(Date.parse(event.startDate ?? '')).toBeGreaterThanOrEqual(NOW.getTime());
    expect(graph.some((node) => node['@type'] === 'MovieTheater')).toBe(true);
    expect(graph.some((node) => node['@type'] === 'Movie')).toBe(true);
  });

  it("embeds JSON-LD on cinema and film pages, each page's own node first, with its canonical URL", async () => {
    const ldOf = async (path: string) => {
      const html = await (await get(`${app.url}${path}`)).text();
      const script = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}';
      return { html, graph: JSON.parse(script)['@graph'] as { '@type': string; url?: string }[] };
    };
    const cinema = await ldOf('/en/city/kyiv/cinema/kyiv-sample-1?date=2026-11-25');
    expect(cinema.graph[0]).toMatchObject({
      '@type': 'MovieTheater',
      url: `${SITE}/en/city/kyiv/cinema/kyiv-sample-1`,
    });
    expect(cinema.html).toContain(
      `<link rel="canonical" href="${SITE}/en/city/kyiv/cinema/kyiv-sample-1?date&#x3D;2026-11-25">`,
    );
    const api = await json(await get(`${app.url}/api/cities/kyiv/showtimes`));
    const film = await ldOf(`/en/city/kyiv/film/${api.movies[0].key}`);
    expect(film.graph[0]).toMatchObject({ '@type': 'Movie', url: `${SITE}/en/city/kyiv/film/${api.movies[0].key}` });
    expect(film.graph.some((node) => node['@type'] === 'ScreeningEvent')).toBe(true);
  });

  it('serves robots.txt naming the sitemap, and a sitemap of cities, days, cinemas and films in each language', async () => {
    const robots = await get(`${app.url}/robots.txt`);
    expect(robots.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await robots.text()).toContain(`Sitemap: ${SITE}/sitemap.xml`);
    await get(`${app.url}/uk/city/lviv`); // the sample source fills Lviv's horizon
    const sitemap = await (await get(`${app.url}/sitemap.xml`)).text();
    expect(sitemap).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset /);
    for (const loc of [`${SITE}/uk/`, `${SITE}/en/city/lviv`, `${SITE}/ru/city/lviv?date=2026-11-25`]) {
      expect(sitemap).toContain(`<loc>${loc.replace('&', '&amp;')}</loc>`);
    }
    expect(sitemap).toMatch(new RegExp(`<loc>${SITE}/en/city/lviv/cinema/lviv-sample-1</loc>`));
    expect(sitemap).toMatch(new RegExp(`<loc>${SITE}/en/city/lviv/film/[a-z0-9-]+</loc>`));
    expect(sitemap).not.toContain('?date=2026-11-24'); // today is the bare city URL
    expect(sitemap.match(/<url>/g)?.length).toBe(sitemap.match(/<\/url>/g)?.length);
  });
});

describe('share and search (origin from the request)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: NOW });
  });
  afterAll(() => app.close());

  it('links under the host the page was asked for, behind a trusted proxy, and never a bad Host', async () => {
    const proxied = await get(`${app.url}/en/`, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'kino.example' });
    expect(await proxied.text()).toContain('<link rel="canonical" href="https://kino.example/en/">');
    const direct = await (await get(`${app.url}/en/`)).text();
    expect(direct).toContain(`<link rel="canonical" href="${app.url}/en/">`);
    const bad = await get(`${app.url}/en/`, { 'x-forwarded-host': 'a"b' });
    expect(await bad.text()).toContain('<link rel="canonical" href="http://localhost/en/">');
  });
});

describe('pages not to index', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: NOW });
  });
  afterAll(() => app.close());

  it('mark error pages noindex, with no canonical link', async () => {
    const html = await (await get(`${app.url}/en/city/atlantis`)).text();
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).not.toContain('rel="canonical"');
    expect(html).not.toContain('hreflang="uk" href=');
  });
});
