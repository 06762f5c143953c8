import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startTestApp, type TestApp } from '../../test/support/app.ts';

const NOW = new Date('2026-11-24T18:40:00Z'); // 20:40 in Kyiv

describe('cinema, film and search pages over HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: NOW });
  });
  afterAll(() => app.close());

  const html = async (path: string) => {
    const response = await get(`${app.url}${path}`);
    return { status: response.status, text: await response.text() };
  };

  it('opens today on the next showings, soonest first, with started ones never links and finished films out of the count', async () => {
    const { text } = await html('/en/city/kyiv');
    const next = text.slice(text.indexOf('class="next-list"'), text.indexOf('</ol>'));
    const starts = [...next.matchAll(/<time class="time" datetime="([^"]+)"/g)].map((m) => Date.parse(m[1] ?? ''));
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((start, i) => start >= NOW.getTime() && start >= (starts[i - 1] ?? 0))).toBe(true);
    expect(text).not.toMatch(/<li class="past"><a /);
    const finished = text.indexOf('<details class="finished">');
    const counted = (finished === -1 ? text : text.slice(0, finished)).match(/<li class="movie">/g)?.length;
    expect(text).toContain(`<p class="movie-count" aria-live="polite">${counted} movies</p>`);
    expect(finished).toBeGreaterThan(-1);
  });

  it('shows a cinema with its address, map, website and a day of its schedule', async () => {
    const { status, text } = await html('/en/city/kyiv/cinema/kyiv-sample-1?date=2026-11-25');
    expect(status).toBe(200);
    expect(text).toContain('<title>Podil Cinema, Kyiv, Wednesday 25 November: showtimes · CineStream</title>');
    expect(text).toContain('Address: вул. Сагайдачного, 12');
    expect(text).toContain('href="https://www.openstreetmap.org/search?query&#x3D;');
    expect(text).toContain('href="https://example.com/"');
    expect(text).toMatch(/<a href="\/en\/city\/kyiv\/film\/[a-z-]+">/);
  });

  it('shows a film with each showing’s end time', async () => {
    const { status, text } = await html('/uk/city/kyiv/film/deep-orbit');
    expect(status).toBe(200);
    expect(text).toContain('Інші назви: <span lang="ru">Глубокая орбита</span></p>');
    const shown = [
      ...text.matchAll(/datetime="([^"]+)">\d\d:\d\d<\/time><span class="end">.*?<time datetime="([^"]+)"/g),
    ];
    expect(shown.length).toBeGreaterThan(3);
    for (const [, start, end] of shown) expect(Date.parse(end ?? '') - Date.parse(start ?? '')).toBe(134 * 60_000);
  });

  it('shows a film’s synopsis in the page’s language, else another one marked with its language', async () => {
    const { text } = await html('/en/city/kyiv/film/deep-orbit');
    expect(text).toContain(
      '<p class="synopsis">The crew of a repair ship finds a signal aboard an abandoned station that should not be there.</p>',
    );
    await app.store.upsertMovie(
      {
        city: 'kyiv',
        key: 'quiet-signal',
        titles: { en: 'Quiet Signal' },
        genres: [],
        synopsis: { uk: 'Радистка чує в ефірі власний голос.' },
        theaters: [
          {
            theaterKey: 'kyiv-sample-1',
            name: 'Кінотеатр',
            showtimes: [{ startsAt: '2026-11-25T19:00:00+02:00', format: '2D' }],
          },
        ],
      },
      NOW,
    );
    const fallback = await html('/en/city/kyiv/film/quiet-signal');
    expect(fallback.text).toContain('<p class="synopsis" lang="uk">Радистка чує в ефірі власний голос.</p>');
    expect(fallback.text).toContain('"description":"Радистка чує в ефірі власний голос."');
  });

  it('finds films by any spelling of their title', async () => {
    for (const query of ['глубокая', 'hlyboka', 'Deep orb']) {
      const { text } = await html(`/ru/city/kyiv/search?q=${encodeURIComponent(query)}`);
      expect(text, query).toContain('href="/ru/city/kyiv/film/deep-orbit"');
      expect(text, query).not.toContain('href="/ru/city/kyiv/film/the-last-tram"');
    }
  });

  it('answers bad input with one clear sentence and the right status', async () => {
    const cases = [
      ['/en/city/kyiv?time=night', 400, 'Invalid filter value “night”.'],
      ['/en/city/kyiv?sort=price', 400, 'Invalid filter value “price”.'],
      [`/en/city/kyiv/search?q=${'x'.repeat(101)}`, 400, 'write 1 to 100 characters'],
      ['/en/city/kyiv/cinema/nowhere', 404, 'There is no cinema “nowhere” in this city’s schedule.'],
      ['/en/city/kyiv/film/nothing', 404, 'There is no film “nothing” in this city’s schedule.'],
      ['/en/city/atlantis/film/deep-orbit', 404, 'The city “atlantis” is not in our catalog.'],
    ] as const;
    for (const [path, status, message] of cases) {
      const page = await html(path);
      expect(page.status, path).toBe(status);
      expect(page.text, path).toContain(message);
    }
  });

  it('says plainly that a day outside the horizon has no schedule', async () => {
    const { status, text } = await html('/en/city/kyiv?date=2027-01-10');
    expect(status).toBe(200);
    expect(text).toContain('This day is outside our schedule: we show showtimes from 24 November to 7 December.');
  });
});
