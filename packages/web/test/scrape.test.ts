import { afterEach, describe, expect, it } from 'vitest';
import { addDays, dayRange } from '../src/domain/time.ts';
import type { Store } from '../src/store/store.ts';
import type { TestApp } from './support/app.ts';
import { get, json } from './support/app.ts';
import { type FakeCity, type FakeCityOptions, fakeCity } from './support/fake-city.ts';
import { type FakeGemini, type FakeReply, type FakeRequest, startFakeGemini } from './support/fake-gemini.ts';
import { startScrapeApp } from './support/scrape-app.ts';
import { expectedShowings as expectedShowingsOf, storedShowings as storedShowingsOf } from './support/showings.ts';

const TODAY = '2026-11-24';
const HORIZON = dayRange(TODAY, 14);
const THEATERS = 3;
const MOVIES = 4;

let now = new Date(`${TODAY}T10:00:00+02:00`);
const clock = () => new Date(now);
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
  now = new Date(`${TODAY}T10:00:00+02:00`);
});

async function setUp(
  answer: (request: FakeRequest, city: FakeCity) => FakeReply | Promise<FakeReply> | undefined = () => undefined,
  options: Partial<Parameters<typeof startScrapeApp>[0]> & {
    rejectToolsWithSchema?: boolean;
    city?: FakeCityOptions;
  } = {},
): Promise<{ app: TestApp; fake: FakeGemini; city: FakeCity }> {
  const city = fakeCity({ theaters: THEATERS, movies: MOVIES, ...options.city });
  const fake = await startFakeGemini({
    answer: (request) => answer(request, city) ?? city.answer(request),
    rejectToolsWithSchema: options.rejectToolsWithSchema,
  });
  open.push(fake);
  const app = await startScrapeApp({ fake, clock, ...options });
  open.push(app);
  return { app, fake, city };
}

/** Requests the city, then waits for the scrape it started in the background. */
async function scrape(app: TestApp, path = '/api/cities/kyiv/showtimes'): Promise<Response> {
  const response = await get(`${app.url}${path}`);
  await app.showtimes.idle();
  return response;
}

const storedShowings = (store: Store, days = HORIZON) => storedShowingsOf(store, days, clock());
const expectedShowings = (city: FakeCity, days = HORIZON) => expectedShowingsOf(city, days);

const steps = (fake: FakeGemini) => fake.requests.map((request) => request.step);
const count = (fake: FakeGemini, step: string) => steps(fake).filter((s) => s === step).length;

describe('on-demand scraping with Gemini', () => {
  it('scrapes a city step by step: cinemas, films, then every film on every day of the horizon', async () => {
    const { app, fake, city } = await setUp();
    const first = await json(await scrape(app));
    expect(first.status).toBe('scraping');
    expect(first.movies).toEqual([]);

    expect(steps(fake).slice(0, 2)).toEqual(['theaters', 'movies']);
    expect(count(fake, 'showtimes')).toBe(MOVIES * 14);
    expect(fake.requests.length).toBe(2 + MOVIES * 14);
    expect(fake.requests.map((r) => r.urlContext)).toEqual([false, false, ...Array(MOVIES * 14).fill(true)]);
    const asked = fake.requests.filter((r) => r.step === 'showtimes').map((r) => `${r.movie}|${r.day}`);
    expect(new Set(asked).size).toBe(asked.length);

    expect(await storedShowings(app.store)).toEqual(expectedShowings(city));
    const kyiv = await app.store.getLocation('kyiv');
    expect(kyiv).toMatchObject({ status: 'idle', coveredDays: HORIZON });
    expect(kyiv?.theaters.map((t) => t.name)).toEqual(city.theaters.map((t) => t.name));
    expect(kyiv?.nowPlaying?.[0]).toMatchObject({
      key: 'film-number-1',
      titles: { uk: 'Фільм номер 1', en: 'Film Number 1' },
      posterUrl: 'https://posters.example/1.jpg',
      durationMin: 90,
      synopsis: { en: 'The story of film number 1 in one sentence.' },
    });

    const [run] = await app.store.scrapeRuns('kyiv', 5);
    expect(run).toMatchObject({ status: 'ok', requestedDays: HORIZON, queries: fake.requests.length, dropped: 0 });
    expect(run?.tokens.prompt).toBeGreaterThan(0);
    expect(run?.tokens.output).toBeGreaterThan(0);
    expect(run?.tokens.tool).toBe(400 * fake.requests.length);
    expect(run?.tokens.thoughts).toBe(200 * fake.requests.length);
    // The fake runs one search query per grounded call; 3.8 Flash bills each at $0.014.
    expect(run).toMatchObject({ model: 'gemini-3.8-flash', searchQueries: fake.requests.length });
    expect(run?.costUsd).toBeGreaterThan(0.014 * fake.requests.length);

    const second = await json(await scrape(app));
    expect(second.status).toBe('idle');
    expect(second.movies.length).toBeGreaterThan(0);
    expect(fake.requests.length).toBe(2 + MOVIES * 14);
  });

  it('the next day fetches the new day and refreshes today and tomorrow (23 h old), re-asking films but not cinemas', async () => {
    const { app, fake, city } = await setUp();
    await scrape(app);
    const before = fake.requests.length;

    // 11 h later today and tomorrow are still fresh: nothing is asked.
    now = new Date(`${TODAY}T21:00:00+02:00`);
    await scrape(app);
    expect(fake.requests.length).toBe(before);

    now = new Date(`${addDays(TODAY, 1)}T09:00:00+02:00`);
    await scrape(app);
    const refresh = fake.requests.slice(before);
    expect(refresh.map((r) => r.step)).toEqual(['movies', ...Array(MOVIES * 3).fill('showtimes')]);
    expect(new Set(refresh.filter((r) => r.step === 'showtimes').map((r) => r.day))).toEqual(
      new Set([addDays(TODAY, 1), addDays(TODAY, 2), addDays(TODAY, 14)]),
    );
    const kyiv = await app.store.getLocation('kyiv');
    expect(kyiv?.coveredDays).toEqual(dayRange(addDays(TODAY, 1), 14));
    expect(await storedShowings(app.store, dayRange(addDays(TODAY, 1), 14))).toEqual(
      expectedShowings(city, dayRange(addDays(TODAY, 1), 14)),
    );
  });

  it('with GEMINI_GRANULARITY=auto, refreshes the new day, today and tomorrow with one question about all films each', async () => {
    const { app, fake, city } = await setUp(undefined, { granularity: 'auto' });
    await scrape(app);
    expect(fake.requests.length).toBe(2 + MOVIES * 14);
    const before = fake.requests.length;

    now = new Date(`${addDays(TODAY, 1)}T09:00:00+02:00`);
    await scrape(app);
    const refresh = fake.requests.slice(before);
    expect(refresh.map((r) => r.step)).toEqual(['movies', 'showtimes', 'showtimes', 'showtimes']);
    expect(refresh[1]?.prompt.match(/^Movie: /gm)).toHaveLength(MOVIES);
    const days = dayRange(addDays(TODAY, 1), 14);
    expect(await storedShowings(app.store, days)).toEqual(expectedShowings(city, days));
    expect((await app.store.scrapeRuns('kyiv', 1))[0]).toMatchObject({ status: 'ok', dropped: 0 });
  });

  it('with GEMINI_GRANULARITY=cinema-day, reads each cinema schedule page once per day, without searching', async () => {
    const { app, fake, city } = await setUp(undefined, { granularity: 'cinema-day' });
    await scrape(app);
    const questions = fake.requests.filter((r) => r.step === 'showtimes');
    expect(questions).toHaveLength(THEATERS * 14);
    expect(questions.every((r) => r.urlContext && !r.search)).toBe(true);
    expect(await storedShowings(app.store)).toEqual(expectedShowings(city));
    const kyiv = await app.store.getLocation('kyiv');
    expect(kyiv?.coveredDays).toEqual(HORIZON);
    expect(kyiv?.theaters[0]).toMatchObject({
      names: { uk: 'Кінотеатр A Молл', en: 'Cinema A Mall', ru: 'Кинотеатр A Молл' },
      scheduleUrl: 'https://cinema-1.example/schedule',
    });
    const [run] = await app.store.scrapeRuns('kyiv', 1);
    // Searches only to find: the cinemas and the films.
    expect(run).toMatchObject({ status: 'ok', searchQueries: 2, urlRetrievals: THEATERS * 14, urlFailures: 0 });
  });

  it('does not take an unread schedule page for an empty day: it searches per film and day instead, as the last resort', async () => {
    const { app, fake, city } = await setUp(undefined, {
      granularity: 'cinema-day',
      city: { unreadable: ['https://cinema-2.example/schedule'] },
    });
    await scrape(app);
    const [run] = await app.store.scrapeRuns('kyiv', 1);
    expect(run).toMatchObject({ urlFailures: 14 });
    expect(run?.errors).toContain('could not read the schedule page of Cinema B Mall; searched per film instead');
    // The seed's question for that cinema: one grounded search per film and day, and only for it.
    const searches = fake.requests.filter((r) => r.step === 'showtimes' && r.search);
    expect(searches).toHaveLength(MOVIES * 14);
    expect(searches.every((r) => r.prompt.includes('Cinema B Mall') && !r.prompt.includes('Cinema A Mall'))).toBe(true);
    expect(await storedShowings(app.store)).toEqual(expectedShowings(city));
    expect((await app.store.getLocation('kyiv'))?.coveredDays).toEqual(HORIZON);
  });

  it('asks the days the cinemas had not published again once Monday 18:00 has passed, and fills them', async () => {
    // Monday 10:00: the cinemas have published through Wednesday 11-25; the rest of the horizon comes back empty.
    now = new Date('2026-11-23T10:00:00+02:00');
    const { app, fake, city } = await setUp(undefined, { granularity: 'cinema-day', city: { clock } });
    await scrape(app);
    const horizon = dayRange('2026-11-23', 14);
    expect(await storedShowings(app.store, horizon)).toEqual(expectedShowings(city, dayRange('2026-11-23', 3)));
    const before = fake.requests.length;

    // 17:00 nothing is asked; at 18:30 the week through Wednesday 12-02 is out, and only the empty days are asked.
    now = new Date('2026-11-23T17:00:00+02:00');
    await scrape(app);
    expect(fake.requests.length).toBe(before);
    now = new Date('2026-11-23T18:30:00+02:00');
    await scrape(app);
    const asked = new Set(fake.requests.slice(before).flatMap((r) => (r.step === 'showtimes' && r.day ? [r.day] : [])));
    expect([...asked].sort()).toEqual(dayRange('2026-11-26', 11));
    const published = dayRange('2026-11-23', 10);
    expect(await storedShowings(app.store, horizon)).toEqual(expectedShowings(city, published));
  });

  it('with GEMINI_FLEX_REFRESHES, asks refreshes of days fetched before on Flex, and new days as usual', async () => {
    const { app, fake } = await setUp(undefined, { granularity: 'cinema-day', flexRefreshes: true });
    await scrape(app);
    expect(fake.requests.some((r) => r.serviceTier !== undefined)).toBe(false);
    const before = fake.requests.length;

    now = new Date(`${addDays(TODAY, 1)}T09:00:00+02:00`);
    await scrape(app);
    const tiers = new Map(
      fake.requests
        .slice(before)
        .flatMap((r) => (r.step === 'showtimes' ? [[r.day, r.serviceTier ?? 'standard']] : [])),
    );
    expect(Object.fromEntries(tiers)).toEqual({
      [addDays(TODAY, 1)]: 'flex',
      [addDays(TODAY, 2)]: 'flex',
      [addDays(TODAY, 14)]: 'standard',
    });
  });

  it('retries a 429 and keeps going', async () => {
    let refused = 0;
    const { app, city } = await setUp((request) => {
      if (request.step === 'showtimes' && request.day === TODAY && refused < 2) {
        refused++;
        return { error: 429, retryDelaySeconds: 0.01 };
      }
      return undefined;
    });
    await scrape(app);
    expect(refused).toBe(2);
    expect(await storedShowings(app.store)).toEqual(expectedShowings(city));
    expect((await app.store.scrapeRuns('kyiv', 1))[0]?.status).toBe('ok');
  });

  it('keeps what was stored when a 500 storm exhausts the retries, and marks the run failed', async () => {
    let answered = 0;
    const { app, fake, city } = await setUp(
      (request) => {
        if (request.step !== 'showtimes') return undefined;
        answered++;
        return answered <= 2 ? undefined : { error: 500, message: 'internal error' };
      },
      { concurrency: 1 },
    );
    await scrape(app);
    const stored = await storedShowings(app.store);
    expect(stored.length).toBeGreaterThan(0);
    expect(expectedShowings(city)).toEqual(expect.arrayContaining(stored));
    const [run] = await app.store.scrapeRuns('kyiv', 1);
    expect(run?.status).toBe('failed');
    expect(run?.errors.join(' ')).toContain('server');
    expect(run?.queries).toBe(fake.requests.length);
    const kyiv = await app.store.getLocation('kyiv');
    expect(kyiv).toMatchObject({ status: 'failed', coveredDays: [] });

    // A failed city is not retried at once: nothing is asked on the next request.
    const asked = fake.requests.length;
    await scrape(app);
    expect(fake.requests.length).toBe(asked);
  });

  it('accepts fenced and chatty JSON, asks once more after a malformed answer, and counts what it drops', async () => {
    const seen = new Map<string, number>();
    const { app, city } = await setUp((request, fakeCity) => {
      if (request.step !== 'showtimes') return undefined;
      const { movieIndex, days } = fakeCity.questionOf(request);
      const body = JSON.stringify({ showtimes: fakeCity.showtimes(movieIndex, days) });
      const key = `${movieIndex}|${days[0]}`;
      const attempt = (seen.get(key) ?? 0) + 1;
      seen.set(key, attempt);
      if (movieIndex === 0) return { text: `Here you go:\n\`\`\`json\n${body}\n\`\`\`\nEnjoy the film!` };
      if (movieIndex === 1 && days[0] === TODAY && attempt === 1) return { text: '{"showtimes": [{"theater": ' };
      if (movieIndex === 1 && days[0] === addDays(TODAY, 1)) return { text: 'Sorry, I cannot help with that.' };
      return undefined;
    });
    await scrape(app);
    const missingDay = addDays(TODAY, 1);
    expect(await storedShowings(app.store)).toEqual(
      expectedShowings(city).filter((s) => !(s.startsWith('film-number-2|') && s.includes(`${missingDay}T`))),
    );
    const kyiv = await app.store.getLocation('kyiv');
    expect(kyiv?.coveredDays).toEqual(HORIZON.filter((day) => day !== missingDay));
    const [run] = await app.store.scrapeRuns('kyiv', 1);
    expect(run).toMatchObject({ status: 'partial', dropped: 3 });
    expect(run?.errors).toEqual(['unusable showtimes answer']);
  });

  it('drops showtimes of other days, impossible times and unknown cinemas, and never stores them', async () => {
    const { app } = await setUp((request, fakeCity) => {
      if (request.step !== 'showtimes') return undefined;
      const { movieIndex, days } = fakeCity.questionOf(request);
      const day = days[0] ?? TODAY;
      const cinema = fakeCity.theaters[0]?.name ?? '';
      if (movieIndex !== 0 || day !== TODAY) return { json: { showtimes: [] } };
      return {
        json: {
          showtimes: [
            { theater: cinema, date: day, time: '18:00', format: '2D' },
            { theater: cinema, date: addDays(day, 1), time: '18:00' },
            { theater: cinema, date: day, time: '26:30' },
            { theater: cinema, date: day, time: '18:99' },
            { theater: 'Cinema Nowhere', date: day, time: '18:00' },
            { theater: cinema, date: day, time: '18:00', format: '2D' },
          ],
        },
      };
    });
    await scrape(app);
    expect(await storedShowings(app.store)).toEqual([`film-number-1|cinema-a-mall|${TODAY}T18:00:00+02:00|2D`]);
    expect((await app.store.scrapeRuns('kyiv', 1))[0]?.dropped).toBe(4);
  });

  it('stores a film listed twice (also with a format tag) and a cinema listed twice only once', async () => {
    const { app } = await setUp((request, fakeCity) => {
      const [a, b] = fakeCity.theaters;
      const [movie] = fakeCity.movies;
      if (request.step === 'theaters')
        return { json: { theaters: [a, { ...a, name: `  ${a?.name.toUpperCase()} ` }, b] } };
      if (request.step === 'movies') {
        return {
          json: { movies: [movie, { ...movie, titleUk: `${movie?.titleUk} 3D` }, { titleEn: movie?.titleEn }] },
        };
      }
      return undefined;
    });
    await scrape(app);
    const kyiv = await app.store.getLocation('kyiv');
    expect(kyiv?.theaters.map((t) => t.key)).toEqual(['cinema-a-mall', 'cinema-b-mall']);
    expect(kyiv?.nowPlaying?.map((m) => m.key)).toEqual(['film-number-1']);
    const movies = await app.store.moviesFor('kyiv', { from: TODAY, to: HORIZON.at(-1) ?? TODAY }, clock());
    expect(movies.map((m) => m.key)).toEqual(['film-number-1']);
  });

  it('works with models that refuse tools together with a JSON schema', async () => {
    const { app, fake, city } = await setUp(undefined, { rejectToolsWithSchema: true });
    await scrape(app);
    expect(await storedShowings(app.store)).toEqual(expectedShowings(city));
    expect(fake.requests.filter((r) => r.hasTools && !r.hasSchema).length).toBe(2 + MOVIES * 14);
  });

  it('never asks the model about a city outside the catalog', async () => {
    const { app, fake } = await setUp();
    expect((await scrape(app, '/api/cities/atlantis/showtimes')).status).toBe(404);
    expect((await scrape(app, '/uk/city/atlantis')).status).toBe(404);
    expect((await scrape(app, '/api/cities/kyiv/showtimes?from=2026-99-01')).status).toBe(400);
    expect(fake.requests).toEqual([]);
  });

  it('stops when the daily token budget is spent and serves what is stored with a notice', async () => {
    const { app, fake } = await setUp(undefined, { dailyTokenBudget: 8_000, concurrency: 1 });
    await scrape(app);
    const asked = fake.requests.length;
    expect(asked).toBeGreaterThan(2);
    expect(asked).toBeLessThan(2 + MOVIES * 14);
    const [run] = await app.store.scrapeRuns('kyiv', 1);
    expect(run?.errors).toContain('the daily Gemini budget is spent');

    now = new Date(now.getTime() + 60 * 60_000);
    const body = await json(await scrape(app));
    expect(body.notice).toBe('budget-exhausted');
    const page = await (await scrape(app, '/en/city/kyiv')).text();
    expect(page).toContain('Fresh showtimes will come later');
    expect(fake.requests.length).toBe(asked);

    // A new (UTC) day brings a new budget.
    now = new Date(`${addDays(TODAY, 1)}T09:00:00+02:00`);
    await scrape(app);
    expect(fake.requests.length).toBeGreaterThan(asked);
  });

  it('after a failed question, the next fetch asks only that film-day, not the other films of the day', async () => {
    const day = addDays(TODAY, 3);
    let failing: string | undefined;
    let broken = true;
    const { app, fake } = await setUp((request) => {
      if (!broken || request.step !== 'showtimes' || request.day !== day) return undefined;
      failing ??= request.movie;
      return request.movie === failing ? { error: 400, message: 'Bad question.' } : undefined;
    });
    await scrape(app);
    expect((await app.store.getLocation('kyiv'))?.coveredDays).not.toContain(day);
    const before = fake.requests.length;

    broken = false;
    now = new Date(now.getTime() + 16 * 60_000);
    await scrape(app);
    expect(fake.requests.slice(before).map((r) => `${r.step}|${r.movie}|${r.day}`)).toEqual([
      `showtimes|${failing}|${day}`,
    ]);
    expect((await app.store.getLocation('kyiv'))?.coveredDays).toContain(day);
    const record = (await app.store.cityDays('kyiv')).find((r) => r.day === day);
    expect(record).toMatchObject({ fetchedAt: now.toISOString() });
    expect(record?.showtimes).toBeGreaterThan(0);
    expect(record?.pending).toBeUndefined();
  });

  it('reports progress in questions only, its total fixed from the first report', async () => {
    const { app } = await setUp(undefined, { concurrency: 1 });
    const seen: string[] = [];
    const update = app.store.updateLocation.bind(app.store);
    app.store.updateLocation = async (slug, patch) => {
      if (patch.progress !== undefined)
        seen.push(patch.progress ? `${patch.progress.done}/${patch.progress.total}` : 'none');
      return update(slug, patch);
    };
    await scrape(app);
    const total = 2 + MOVIES * 14;
    expect(seen[0]).toBe('none');
    expect(seen.at(-1)).toBe('none');
    const counts = seen.slice(1, -1);
    expect(counts[0]).toBe(`2/${total}`);
    expect(counts.every((count) => count.endsWith(`/${total}`))).toBe(true);
    expect(counts.at(-1)).toBe(`${total}/${total}`);
  });

  it('stops when the daily USD budget (tokens plus searches) is spent, the token cap far away', async () => {
    // Each call: one search query ($0.014) plus about 1k tokens (under $0.003): the tenth call passes $0.10.
    const { app, fake } = await setUp(undefined, { dailyBudgetUsd: 0.1, concurrency: 1 });
    await scrape(app);
    expect(fake.requests.length).toBeGreaterThanOrEqual(6);
    expect(fake.requests.length).toBeLessThanOrEqual(8);
    const [run] = await app.store.scrapeRuns('kyiv', 1);
    expect(run?.errors).toContain('the daily Gemini budget is spent');
    expect(run?.costUsd).toBeGreaterThanOrEqual(0.1);
  });

  it('records a run when it starts and after every call, so a run that never ends still counts', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { app, fake } = await setUp(
      (request, city) => {
        if (request.step !== 'showtimes' || count(fake, 'showtimes') <= 3) return undefined;
        return held.then(() => city.answer(request));
      },
      { concurrency: 1 },
    );
    await get(`${app.url}/api/cities/kyiv/showtimes`);
    let run = (await app.store.scrapeRuns('kyiv', 1))[0];
    for (let tries = 0; tries < 200 && (run?.queries ?? 0) < 5; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      run = (await app.store.scrapeRuns('kyiv', 1))[0];
    }
    expect(run).toMatchObject({ status: 'running', queries: 5, searchQueries: 5 });
    expect(run?.finishedAt).toBeUndefined();
    expect(run?.costUsd).toBeGreaterThan(0);
    release();
    await app.showtimes.idle();
    const runs = await app.store.scrapeRuns('kyiv', 5);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('ok');
  });

  it('limits how many scrapes one address may start', async () => {
    const { app, fake } = await setUp(undefined, { scrapesPerIpPerHour: 1 });
    await scrape(app, '/api/cities/kyiv/showtimes');
    const asked = fake.requests.length;
    const lviv = await json(await scrape(app, '/api/cities/lviv/showtimes'));
    expect(lviv.notice).toBe('rate-limited');
    expect(fake.requests.length).toBe(asked);
    expect(await (await scrape(app, '/uk/city/lviv')).text()).toContain('забагато запитів');
  });

  it('shows progress on the page while scraping, and reloads itself until done', async () => {
    const { app, fake } = await setUp();
    fake.setLatency(100);
    const response = await get(`${app.url}/en/city/kyiv`);
    const page = await response.text();
    expect(page).toContain('<meta http-equiv="refresh" content="5">');
    expect(page).toMatch(/Updating showtimes/);
    await app.showtimes.idle();
    const done = await (await get(`${app.url}/en/city/kyiv`)).text();
    expect(done).not.toContain('http-equiv="refresh"');
    expect(done).toContain('Film Number 1');
  });
});
