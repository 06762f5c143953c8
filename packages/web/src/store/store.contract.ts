import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CitySeed, MovieInput, MovieTheater, ScrapeRun, Showtime } from '../domain/model.ts';
import { VISITOR_COUNTER } from '../domain/visitors.ts';
import type { Store } from './store.ts';

// Far in the future, so MongoDB's TTL monitor (which uses the real clock) never deletes test data mid-test.
const NOW = new Date('2035-06-01T10:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const WEEK = { from: '2035-06-01', to: '2035-06-07' };

const KYIV: CitySeed = { slug: 'kyiv', names: { uk: 'Київ', en: 'Kyiv', ru: 'Киев' }, timezone: 'Europe/Kyiv' };
const LVIV: CitySeed = { slug: 'lviv', names: { uk: 'Львів', en: 'Lviv', ru: 'Львов' }, timezone: 'Europe/Kyiv' };

function later(ms: number): Date {
  return new Date(NOW.getTime() + ms);
}

function show(startsAt: string, format = '2D', extra: Partial<Showtime> = {}): Showtime {
  return { startsAt, format, ...extra };
}

function theater(theaterKey: string, name: string, showtimes: Showtime[]): MovieTheater {
  return { theaterKey, name, showtimes };
}

function movie(key: string, theaters: MovieTheater[], extra: Partial<MovieInput> = {}): MovieInput {
  return { city: 'kyiv', key, titles: { uk: `Фільм ${key}` }, genres: ['drama'], theaters, ...extra };
}

function run(id: string, city: string, startedAt: string): ScrapeRun {
  return {
    id,
    city,
    startedAt,
    finishedAt: startedAt,
    requestedDays: ['2035-06-01', '2035-06-02'],
    queries: 3,
    tokens: { prompt: 120, output: 80, tool: 5, thoughts: 40 },
    dropped: 1,
    errors: ['showtimes: invalid JSON'],
    durationMs: 1500,
    status: 'partial',
  };
}

function showtimeCount(movies: { theaters: MovieTheater[] }[]): number {
  return movies.reduce((sum, m) => sum + m.theaters.reduce((n, t) => n + t.showtimes.length, 0), 0);
}

/** The behaviour every Store adapter must have; `open` returns a fresh, empty store for each test. */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(name, () => {
    let store: Store;
    let firstInit: string[];

    beforeEach(async () => {
      store = await open();
      firstInit = await store.init();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('init', () => {
      it('reports what it created on a fresh database, then nothing', async () => {
        expect(firstInit.length).toBeGreaterThan(0);
        expect(firstInit.join('\n')).toMatch(/movies/);
        expect(await store.init()).toEqual([]);
      });
    });

    describe('locations', () => {
      it('upserts, gets and lists catalog cities with a fresh scrape state', async () => {
        expect(await store.getLocation('kyiv')).toBeNull();
        await store.upsertLocation(LVIV);
        await store.upsertLocation(KYIV);

        expect(await store.getLocation('kyiv')).toMatchObject({
          ...KYIV,
          status: 'idle',
          coveredDays: [],
          theaters: [],
        });
        expect((await store.listLocations()).map((l) => l.slug)).toEqual(['kyiv', 'lviv']);
      });

      it('updates names and timezone on a second upsert without touching scrape state', async () => {
        await store.upsertLocation(KYIV);
        await store.updateLocation('kyiv', { status: 'scraping', addCoveredDays: ['2035-06-01'] });
        await store.upsertLocation({ ...KYIV, names: { ...KYIV.names, en: 'Kyiv City' }, timezone: 'Europe/Kiev' });

        const kyiv = await store.getLocation('kyiv');
        expect(kyiv?.names.en).toBe('Kyiv City');
        expect(kyiv?.timezone).toBe('Europe/Kiev');
        expect(kyiv?.status).toBe('scraping');
        expect(kyiv?.coveredDays).toEqual(['2035-06-01']);
      });

      it('applies patches: covered days are a sorted union; status, progress, theaters and timestamps', async () => {
        await store.upsertLocation(KYIV);
        await store.updateLocation('kyiv', {
          status: 'scraping',
          progress: { done: 1, total: 4 },
          addCoveredDays: ['2035-06-03', '2035-06-01'],
          theaters: [{ key: 'planeta', name: 'Планета Кіно', url: 'https://planetakino.ua' }],
          theatersFetchedAt: NOW.toISOString(),
          heartbeatAt: NOW.toISOString(),
        });
        await store.updateLocation('kyiv', { addCoveredDays: ['2035-06-02', '2035-06-01', '2035-06-03'] });

        const scraping = await store.getLocation('kyiv');
        expect(scraping).toMatchObject({
          status: 'scraping',
          progress: { done: 1, total: 4 },
          coveredDays: ['2035-06-01', '2035-06-02', '2035-06-03'],
          theaters: [{ key: 'planeta', name: 'Планета Кіно', url: 'https://planetakino.ua' }],
          theatersFetchedAt: NOW.toISOString(),
          heartbeatAt: NOW.toISOString(),
        });

        await store.updateLocation('kyiv', {
          status: 'idle',
          progress: null,
          lastScrapeAt: later(1000).toISOString(),
          moviesFetchedAt: later(500).toISOString(),
        });
        const done = await store.getLocation('kyiv');
        expect(done?.status).toBe('idle');
        expect(done?.progress).toBeUndefined();
        expect(done?.lastScrapeAt).toBe(later(1000).toISOString());
        expect(done?.moviesFetchedAt).toBe(later(500).toISOString());
        expect(done?.coveredDays).toEqual(['2035-06-01', '2035-06-02', '2035-06-03']);
        expect(done?.theaters).toHaveLength(1);
      });

      it('stores the now-playing list and drops covered days that have passed', async () => {
        await store.upsertLocation(KYIV);
        const nowPlaying = [
          { key: 'dune', titles: { uk: 'Дюна', original: 'Dune' }, genres: ['sci-fi'], durationMin: 155 },
          { key: 'up', titles: { en: 'Up' }, genres: [], posterUrl: 'https://img.example/up.jpg' },
        ];
        await store.updateLocation('kyiv', {
          addCoveredDays: ['2035-06-01', '2035-06-02', '2035-06-03'],
          nowPlaying,
        });
        await store.updateLocation('kyiv', { coveredFrom: '2035-06-02', addCoveredDays: ['2035-06-04'] });
        const kyiv = await store.getLocation('kyiv');
        expect(kyiv?.coveredDays).toEqual(['2035-06-02', '2035-06-03', '2035-06-04']);
        expect(kyiv?.nowPlaying).toEqual(nowPlaying);
      });

      it('grows the city version on updateLocation and on upsertMovie; 0 for an unknown city', async () => {
        expect(await store.cityVersion('kyiv')).toBe(0);
        await store.upsertLocation(KYIV);
        const v1 = await store.cityVersion('kyiv');
        await store.updateLocation('kyiv', { status: 'scraping' });
        const v2 = await store.cityVersion('kyiv');
        await store.upsertMovie(movie('m1', [theater('planeta', 'Планета', [show('2035-06-01T19:00:00+03:00')])]), NOW);
        const v3 = await store.cityVersion('kyiv');

        expect(v2).toBeGreaterThan(v1);
        expect(v3).toBeGreaterThan(v2);
        expect((await store.getLocation('kyiv'))?.version).toBe(v3);
        expect(await store.cityVersion('lviv')).toBe(0);
      });

      it('ignores updates of an unknown city', async () => {
        await store.updateLocation('atlantis', { status: 'failed', addCoveredDays: ['2035-06-01'] });

        expect(await store.getLocation('atlantis')).toBeNull();
        expect(await store.cityVersion('atlantis')).toBe(0);
        expect(await store.listLocations()).toEqual([]);
      });
    });

    describe('movies', () => {
      it('round-trips every field of a movie', async () => {
        const input = movie(
          'dune-3',
          [
            theater('planeta', 'Планета Кіно', [
              show('2035-06-01T19:00:00+03:00', 'IMAX', {
                language: 'original',
                subtitles: 'uk',
                bookingUrl: 'https://planetakino.ua/b/1',
              }),
            ]),
          ],
          {
            titles: { uk: 'Дюна 3', en: 'Dune: Part Three', ru: 'Дюна 3', original: 'Dune: Part Three' },
            posterUrl: 'https://img.example/dune.jpg',
            durationMin: 166,
            genres: ['sci-fi', 'adventure'],
            ageRating: '12+',
            synopsis: { uk: 'Пол повертається на Арракіс.', en: 'Paul returns to Arrakis.' },
          },
        );
        await store.upsertMovie(input, NOW);

        expect(await store.moviesFor('kyiv', WEEK, NOW)).toEqual([
          {
            ...input,
            days: ['2035-06-01'],
            updatedAt: NOW.toISOString(),
            expiresAt: later(90 * DAY_MS).toISOString(),
          },
        ]);
      });

      it('never duplicates the same movie, theater or showtime when upserted twice', async () => {
        const input = movie('m1', [
          theater('planeta', 'Планета', [show('2035-06-01T19:00:00+03:00'), show('2035-06-01T21:00:00+03:00', '3D')]),
        ]);
        await store.upsertMovie(input, NOW);
        await store.upsertMovie(input, later(1000));
        await store.upsertMovie(
          movie('m1', [theater('planeta', 'Планета', [show('2035-06-01T16:00:00Z')])]),
          later(2000),
        );

        const movies = await store.moviesFor('kyiv', WEEK, NOW);
        expect(movies).toHaveLength(1);
        expect(movies[0]?.theaters).toHaveLength(1);
        expect(showtimeCount(movies)).toBe(2);
        expect(movies[0]?.updatedAt).toBe(later(2000).toISOString());
      });

      it('merges a new theater and a new day into the stored movie', async () => {
        await store.upsertMovie(movie('m1', [theater('zhovten', 'Жовтень', [show('2035-06-01T19:00:00+03:00')])]), NOW);
        await store.upsertMovie(
          movie('m1', [
            theater('planeta', 'Планета', [show('2035-06-02T12:00:00+03:00')]),
            theater('zhovten', 'Жовтень', [show('2035-06-02T19:00:00+03:00')]),
          ]),
          NOW,
        );

        const [m1] = await store.moviesFor('kyiv', WEEK, NOW);
        expect(m1?.days).toEqual(['2035-06-01', '2035-06-02']);
        expect(m1?.theaters.map((t) => [t.theaterKey, t.showtimes.length])).toEqual([
          ['zhovten', 2],
          ['planeta', 1],
        ]);
      });

      it('returns only movies and showtimes within the day range, of that city', async () => {
        await store.upsertMovie(
          movie('m1', [
            theater('planeta', 'Планета', [show('2035-06-01T19:00:00+03:00'), show('2035-06-03T19:00:00+03:00')]),
            theater('zhovten', 'Жовтень', [show('2035-06-03T21:00:00+03:00')]),
          ]),
          NOW,
        );
        await store.upsertMovie(movie('m2', [theater('planeta', 'Планета', [show('2035-06-04T10:00:00+03:00')])]), NOW);
        await store.upsertMovie(
          movie('m3', [theater('kinopalace', 'Кінопалац', [show('2035-06-01T10:00:00+03:00')])], { city: 'lviv' }),
          NOW,
        );

        const first = await store.moviesFor('kyiv', { from: '2035-06-01', to: '2035-06-02' }, NOW);
        expect(first.map((m) => m.key)).toEqual(['m1']);
        expect(first[0]?.days).toEqual(['2035-06-01']);
        expect(first[0]?.theaters).toEqual([theater('planeta', 'Планета', [show('2035-06-01T19:00:00+03:00')])]);

        const later3 = await store.moviesFor('kyiv', { from: '2035-06-03', to: '2035-06-04' }, NOW);
        expect(later3.map((m) => m.key).sort()).toEqual(['m1', 'm2']);
        expect(showtimeCount(later3)).toBe(3);

        expect(await store.moviesFor('kyiv', { from: '2035-06-05', to: '2035-06-30' }, NOW)).toEqual([]);
        expect((await store.moviesFor('lviv', WEEK, NOW)).map((m) => m.key)).toEqual(['m3']);
      });

      it('expires movies after 90 days: moviesFor leaves them out and purgeExpired deletes them', async () => {
        await store.upsertMovie(
          movie('old', [theater('planeta', 'Планета', [show('2035-06-01T19:00:00+03:00')])]),
          NOW,
        );
        await store.upsertMovie(
          movie('renewed', [theater('planeta', 'Планета', [show('2035-06-01T21:00:00+03:00')])]),
          NOW,
        );
        await store.upsertMovie(
          movie('renewed', [theater('planeta', 'Планета', [show('2035-06-02T21:00:00+03:00')])]),
          later(30 * DAY_MS),
        );
        const after91Days = later(91 * DAY_MS);

        expect((await store.moviesFor('kyiv', WEEK, later(89 * DAY_MS))).map((m) => m.key)).toEqual(['old', 'renewed']);
        expect((await store.moviesFor('kyiv', WEEK, after91Days)).map((m) => m.key)).toEqual(['renewed']);
        expect(await store.purgeExpired(NOW)).toBe(0);
        expect(await store.purgeExpired(after91Days)).toBe(1);
        expect(await store.purgeExpired(after91Days)).toBe(0);
        expect((await store.moviesFor('kyiv', WEEK, NOW)).map((m) => m.key)).toEqual(['renewed']);
      });
    });

    describe('visitors', () => {
      it('counts visits atomically', async () => {
        expect(await store.counter(VISITOR_COUNTER)).toBe(0);

        const totals = await Promise.all(Array.from({ length: 50 }, () => store.addToCounter(VISITOR_COUNTER, 1)));

        expect(totals.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
        expect(await store.counter(VISITOR_COUNTER)).toBe(50);
        expect(await store.addToCounter(VISITOR_COUNTER, 1)).toBe(51);
      });
    });

    describe('scrape runs', () => {
      it('round-trips runs, newest first, per city, up to the limit', async () => {
        const runs = [
          run('r2', 'kyiv', '2035-06-01T11:00:00.000Z'),
          run('r1', 'kyiv', '2035-06-01T10:00:00.000Z'),
          run('r3', 'kyiv', '2035-06-01T12:00:00.000Z'),
          run('l1', 'lviv', '2035-06-01T13:00:00.000Z'),
        ];
        for (const r of runs) await store.recordScrapeRun(r);

        expect(await store.scrapeRuns('kyiv', 2)).toEqual([runs[2], runs[0]]);
        expect((await store.scrapeRuns('kyiv', 10)).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
        expect(await store.scrapeRuns('lviv', 10)).toEqual([runs[3]]);
        expect(await store.scrapeRuns('odesa', 10)).toEqual([]);
        expect((await store.scrapeRunsSince(new Date('2035-06-01T11:00:00.000Z'))).map((r) => r.id)).toEqual([
          'r2',
          'r3',
          'l1',
        ]);
      });
    });

    describe('schedule pages', () => {
      it('keeps one record per city and cinema, replaced whole, by cinema key', async () => {
        const multiplex = {
          theaterKey: 'multiplex',
          url: 'https://multiplex.example/kyiv',
          readAt: '2035-06-01T10:00:00.000Z',
          path: 'structured' as const,
          reason: 'schema.org ScreeningEvent data',
          etag: '"abc"',
          hash: 'f'.repeat(64),
          showtimes: { '2035-06-01': 12, '2035-06-02': 9 },
        };
        const kino = { ...multiplex, theaterKey: 'kino', path: 'failed' as const, reason: 'kino.example: HTTP 503' };
        await store.putSchedulePage('kyiv', multiplex);
        await store.putSchedulePage('kyiv', kino);
        await store.putSchedulePage('lviv', multiplex);
        expect(await store.schedulePages('kyiv')).toEqual([kino, multiplex]);

        const { etag: _etag, ...unchanged } = { ...multiplex, path: 'unchanged' as const, flagged: 'far fewer' };
        await store.putSchedulePage('kyiv', unchanged);
        expect(await store.schedulePages('kyiv')).toEqual([kino, unchanged]);
        expect(await store.schedulePages('lviv')).toEqual([multiplex]);
        expect(await store.schedulePages('odesa')).toEqual([]);
      });
    });

    describe('city days', () => {
      it('keeps one record per city and day, replaced whole, oldest day first', async () => {
        const done = { day: '2035-06-02', fetchedAt: '2035-06-01T10:00:00.000Z', showtimes: 40 };
        const pending = {
          day: '2035-06-01',
          showtimes: 0,
          pending: { since: '2035-06-01T10:00:00.000Z', answered: ['dune', 'heat'], showtimes: 7 },
        };
        await store.putCityDay('kyiv', done);
        await store.putCityDay('kyiv', pending);
        await store.putCityDay('lviv', { day: '2035-06-01', fetchedAt: '2035-06-01T09:00:00.000Z', showtimes: 0 });
        expect(await store.cityDays('kyiv')).toEqual([pending, done]);

        const finished = { day: '2035-06-01', fetchedAt: '2035-06-01T10:05:00.000Z', showtimes: 12 };
        await store.putCityDay('kyiv', finished);
        expect(await store.cityDays('kyiv')).toEqual([finished, done]);
        expect(await store.cityDays('lviv')).toHaveLength(1);
        expect(await store.cityDays('odesa')).toEqual([]);
      });
    });

    describe('counters', () => {
      it('adds to named counters atomically, each on its own', async () => {
        expect(await store.counter('tokens:2035-06-01')).toBe(0);
        const totals = await Promise.all(
          Array.from({ length: 20 }, () => store.addToCounter('tokens:2035-06-01', 250)),
        );
        expect(Math.max(...totals)).toBe(5000);
        expect(new Set(totals).size).toBe(20);
        expect(await store.addToCounter('tokens:2035-06-02', 7)).toBe(7);
        expect(await store.counter('tokens:2035-06-01')).toBe(5000);
        expect(await store.counter(VISITOR_COUNTER)).toBe(0);
      });
    });

    describe('locks', () => {
      const LOCK = 'scrape:kyiv';
      const MINUTE = 60_000;

      it('is held by one owner at a time, renewed by its owner, and freed by expiry or release', async () => {
        expect(await store.acquireLock(LOCK, 'worker-a', MINUTE, NOW)).toBe(true);
        expect(await store.acquireLock(LOCK, 'worker-b', MINUTE, later(1000))).toBe(false);
        expect(await store.acquireLock('scrape:lviv', 'worker-b', MINUTE, later(1000))).toBe(true);

        expect(await store.acquireLock(LOCK, 'worker-a', MINUTE, later(30_000))).toBe(true);
        expect(await store.acquireLock(LOCK, 'worker-b', MINUTE, later(61_000))).toBe(false);

        expect(await store.acquireLock(LOCK, 'worker-b', MINUTE, later(91_000))).toBe(true);
        await store.releaseLock(LOCK, 'worker-a');
        expect(await store.acquireLock(LOCK, 'worker-a', MINUTE, later(92_000))).toBe(false);

        await store.releaseLock(LOCK, 'worker-b');
        expect(await store.acquireLock(LOCK, 'worker-a', MINUTE, later(93_000))).toBe(true);
      });

      it('lets exactly one of many concurrent owners in', async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.acquireLock(LOCK, `worker-${i}`, MINUTE, NOW)),
        );

        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });
  });
}
