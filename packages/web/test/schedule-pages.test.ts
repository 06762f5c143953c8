import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SchedulePage } from '../src/domain/model.ts';
import { addDays, dayRange, localIso } from '../src/domain/time.ts';
import { costUsd, modelInfo } from '../src/scrape/models.ts';
import { keyOf } from '../src/scrape/normalize.ts';
import { PAGE_DAYS } from '../src/scrape/page-reading.ts';
import { createPageFetcher } from '../src/scrape/web/fetcher.ts';
import type { Store } from '../src/store/store.ts';
import { get, type TestApp } from './support/app.ts';
import {
  type CinemaSites,
  cityShowings,
  jsonLdPage,
  type PageShowing,
  type SitePage,
  serverRenderedPage,
  startCinemaSites,
} from './support/cinema-sites.ts';
import { type FakeCity, fakeCity } from './support/fake-city.ts';
import { type FakeGemini, type FakeRequest, startFakeGemini } from './support/fake-gemini.ts';
import { startScrapeApp } from './support/scrape-app.ts';
import { expectedShowings, storedShowings as storedShowingsOf } from './support/showings.ts';

// Each fixture cinema site is shaped like a real kind of site; the pipeline reads them through the real fetcher
// (loopback allowed, as only a test can ask), against the fake Gemini. Figures: which path each page took, what
// was stored, and which questions the model was asked.

const TODAY = '2026-11-24';
const MOVIES = 4;
const ZONE = 'Europe/Kyiv';
const scriptRendered = readFileSync(new URL('./fixtures/cinema-sites/script-rendered.html', import.meta.url), 'utf8');

let now = new Date(`${TODAY}T10:00:00+02:00`);
const clock = () => new Date(now);
const open: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
  now = new Date(`${TODAY}T10:00:00+02:00`);
});

type Kind = 'json-ld' | 'server-rendered' | 'long' | 'script' | 'private-redirect' | 'huge' | 'robots';
const pathOf = (index: number) => `/cinema-${index + 1}/schedule`;

/** The page a cinema of the fake city serves, by kind, listing what the city shows from `today` on. */
function pageOf(
  kind: Kind,
  city: FakeCity,
  index: number,
  today: string,
  change?: (s: PageShowing[]) => PageShowing[],
): SitePage {
  const name = city.theaters[index]?.name ?? '';
  const showings = (change ?? ((s) => s))(cityShowings(city, index, dayRange(today, PAGE_DAYS)));
  if (kind === 'json-ld') return { html: jsonLdPage(name, showings, ZONE), etag: true };
  if (kind === 'server-rendered' || kind === 'robots') return { html: serverRenderedPage(name, showings) };
  // Every film card with a long synopsis: more text than the model is given.
  if (kind === 'long') return { html: serverRenderedPage(name, showings, 'Довгий опис фільму. '.repeat(125)) };
  if (kind === 'script') return { html: scriptRendered, etag: true };
  if (kind === 'private-redirect') return { redirect: 'http://10.0.0.7/schedule' };
  return { hugeBytes: 10 * 1024 * 1024 };
}

async function setUp(kinds: Kind[]): Promise<{ app: TestApp; fake: FakeGemini; city: FakeCity; sites: CinemaSites }> {
  const sites = await startCinemaSites({
    '/robots.txt': { html: 'User-agent: *\nDisallow: /cinema-6/\n', contentType: 'text/plain' },
  });
  open.push(sites);
  const city = fakeCity({ theaters: kinds.length, movies: MOVIES, siteOrigin: sites.origin });
  for (const [index, kind] of kinds.entries()) sites.serve(pathOf(index), pageOf(kind, city, index, TODAY));
  const fake = await startFakeGemini({ answer: city.answer });
  open.push(fake);
  const pages = createPageFetcher({
    userAgent: 'CineStream/test (+https://cinestream.example)',
    allowLoopback: true,
    perHostDelayMs: 0,
    totalTimeoutMs: 5_000,
  });
  const app = await startScrapeApp({ fake, clock, granularity: 'cinema-day', pages, pageModel: 'flash-lite' });
  open.push(app);
  return { app, fake, city, sites };
}

async function scrape(app: TestApp): Promise<void> {
  await get(`${app.url}/api/cities/kyiv/showtimes`);
  await app.showtimes.idle();
}

/** The booking links stored per cinema. */
async function bookingLinks(store: Store, days: string[]): Promise<Map<string, string[]>> {
  const movies = await store.moviesFor('kyiv', { from: days[0] ?? TODAY, to: days.at(-1) ?? TODAY }, clock());
  const links = new Map<string, string[]>();
  for (const theater of movies.flatMap((movie) => movie.theaters)) {
    const found = theater.showtimes.flatMap((showtime) => (showtime.bookingUrl ? [showtime.bookingUrl] : []));
    links.set(theater.theaterKey, [...(links.get(theater.theaterKey) ?? []), ...found]);
  }
  return links;
}

const storedShowings = (store: Store, days: string[]) => storedShowingsOf(store, days, clock());

const showtimeQuestions = (requests: FakeRequest[]) => requests.filter((request) => request.step === 'showtimes');
const pageQuestions = (requests: FakeRequest[]) =>
  requests.filter((request) => request.prompt.includes('--- page text ---'));

async function pagesByCinema(store: Store): Promise<Record<string, Pick<SchedulePage, 'path' | 'reason'>>> {
  const pages = await store.schedulePages('kyiv');
  return Object.fromEntries(pages.map((page) => [page.theaterKey, { path: page.path, reason: page.reason }]));
}

describe("reading the cinemas' own schedule pages, cheapest first", () => {
  it('takes each kind of site the cheapest way it can be read, and stores what the cinemas show', async () => {
    const { app, fake, city, sites } = await setUp([
      'json-ld',
      'server-rendered',
      'script',
      'private-redirect',
      'huge',
      'robots',
    ]);
    await scrape(app);

    expect(await pagesByCinema(app.store)).toEqual({
      'cinema-a-mall': {
        path: 'structured',
        reason: expect.stringMatching(/^schema\.org ScreeningEvent data: \d+ showings$/),
      },
      'cinema-b-mall': {
        path: 'text',
        reason: expect.stringMatching(/^its text \(\d+ characters\) read by the model$/),
      },
      'cinema-c-mall': { path: 'model', reason: 'the page holds no schedule in its HTML (it is rendered by script)' },
      'cinema-d-mall': { path: 'failed', reason: expect.stringMatching(/10\.0\.0\.7.*private/) },
      'cinema-e-mall': { path: 'failed', reason: expect.stringMatching(/larger than 2 MB/) },
      'cinema-f-mall': { path: 'failed', reason: expect.stringMatching(/robots\.txt.*disallows/) },
    });

    const questions = showtimeQuestions(fake.requests);
    // The JSON-LD page costs nothing; the server-rendered one, one question without tools and with a schema.
    const pageReads = pageQuestions(questions);
    expect(pageReads).toHaveLength(1);
    expect(pageReads[0]).toMatchObject({ hasTools: false, hasSchema: true, search: false, urlContext: false });
    // Text needs no tools: the cheapest model reads it, the others are asked of the main one.
    expect(pageReads[0]?.model).toBe('gemini-3.5-flash-lite');
    expect(new Set(questions.filter((q) => !pageReads.includes(q)).map((q) => q.model))).toEqual(
      new Set(['gemini-3.8-flash']),
    );
    expect(pageReads[0]?.prompt).toContain('Cinema: Cinema B Mall');
    const about = (cinema: string) =>
      questions.filter((q) => q.prompt.includes(`Cinema: ${cinema}\n`) && !pageReads.includes(q));
    expect(about('Cinema A Mall')).toHaveLength(0);
    expect(about('Cinema B Mall')).toHaveLength(0);
    // Pages without a schedule in their HTML, or that could not be fetched, are left to the model's own reading…
    for (const cinema of ['Cinema C Mall', 'Cinema D Mall', 'Cinema E Mall']) {
      expect(about(cinema)).toHaveLength(14);
      expect(about(cinema).every((q) => q.urlContext && !q.search)).toBe(true);
    }
    // …except one whose robots.txt keeps us off it: the model searches for that cinema instead.
    expect(about('Cinema F Mall')).toHaveLength(14);
    expect(about('Cinema F Mall').every((q) => q.search && !q.urlContext && !q.prompt.includes('/cinema-6/'))).toBe(
      true,
    );

    const horizon = dayRange(TODAY, 14);
    expect(await storedShowings(app.store, horizon)).toEqual(expectedShowings(city, horizon));
    expect((await app.store.getLocation('kyiv'))?.coveredDays).toEqual(horizon);
    // Booking links come through both readings: from JSON-LD as written, from the text as paths made whole again.
    const links = await bookingLinks(app.store, horizon);
    for (const cinema of ['cinema-a-mall', 'cinema-b-mall']) {
      const index = cinema === 'cinema-a-mall' ? 0 : 1;
      expect(links.get(cinema)?.every((link) => link.startsWith(`${sites.origin}/book/${index}/`))).toBe(true);
      expect(links.get(cinema)).toHaveLength(cityShowings(city, index, horizon).length);
    }
    const [run] = await app.store.scrapeRuns('kyiv', 1);
    expect(run).toMatchObject({ status: 'ok', pages: { structured: 1, text: 1, model: 1, failed: 3 } });
    // Each call is priced at its own model's list price: the run costs less than all at flash, more than all at lite.
    if (!run) throw new Error('no run recorded');
    const usage = {
      tokens: { cached: 0, ...run.tokens },
      searchQueries: run.searchQueries ?? 0,
      groundedPrompts: run.groundedPrompts ?? 0,
      urlRetrievals: 0,
      urlFailures: 0,
    };
    expect(run.costUsd).toBeLessThan(costUsd(modelInfo('gemini-3.8-flash'), usage) ?? 0);
    expect(run.costUsd).toBeGreaterThan(costUsd(modelInfo('gemini-3.5-flash-lite'), usage) ?? Infinity);

    // Politely: robots.txt once for the whole site, CineStream named, the disallowed page never fetched, and
    // the private address never reached (the fixture only ever saw its own paths).
    const paths = sites.requests.map((request) => request.path);
    expect(paths.filter((path) => path === '/robots.txt')).toHaveLength(1);
    expect(paths).not.toContain('/cinema-6/schedule');
    expect(sites.requests.every((request) => request.userAgent?.startsWith('CineStream/'))).toBe(true);
  });

  it('the next day, asks nothing when no page changed: a 304 and a page with the same content cost 0 calls', async () => {
    const { app, fake, city, sites } = await setUp(['json-ld', 'server-rendered']);
    await scrape(app);
    const firstDay = await app.store.cityDays('kyiv');
    const before = fake.requests.length;
    now = new Date(`${addDays(TODAY, 1)}T10:00:00+02:00`);
    const requestsBefore = sites.requests.length;
    await scrape(app);

    expect(fake.requests.slice(before)).toEqual([]);
    const second = sites.requests.slice(requestsBefore).filter((request) => request.path !== '/robots.txt');
    expect(second.find((request) => request.path === '/cinema-1/schedule')?.ifNoneMatch).toMatch(/^"/);
    expect(await pagesByCinema(app.store)).toEqual({
      'cinema-a-mall': { path: 'unchanged', reason: 'the server answered 304 Not Modified' },
      'cinema-b-mall': { path: 'unchanged', reason: 'the page is the same as last time' },
    });
    const horizon = dayRange(addDays(TODAY, 1), 14);
    expect((await app.store.getLocation('kyiv'))?.coveredDays).toEqual(horizon);
    expect(await storedShowings(app.store, horizon)).toEqual(expectedShowings(city, horizon));
    // Today and tomorrow were due again: their fetched-at moved on without a question asked.
    const refreshed = (await app.store.cityDays('kyiv')).find((record) => record.day === addDays(TODAY, 1));
    const earlier = firstDay.find((record) => record.day === addDays(TODAY, 1));
    expect(refreshed?.fetchedAt && earlier?.fetchedAt && refreshed.fetchedAt > earlier.fetchedAt).toBe(true);
    const [run] = await app.store.scrapeRuns('kyiv', 1);
    expect(run).toMatchObject({ status: 'ok', queries: 0, pages: { unchanged: 2 } });
  });

  it('asks nothing of a page that only dropped its past days, in JSON-LD or in text', async () => {
    const { app, fake, city, sites } = await setUp(['json-ld', 'server-rendered']);
    await scrape(app);
    const tomorrow = addDays(TODAY, 1);
    now = new Date(`${tomorrow}T10:00:00+02:00`);
    const fromTomorrow = (showings: PageShowing[]) => showings.filter((showing) => showing.day >= tomorrow);
    for (const [index, kind] of (['json-ld', 'server-rendered'] as const).entries()) {
      sites.serve(pathOf(index), pageOf(kind, city, index, TODAY, fromTomorrow));
    }
    const before = fake.requests.length;
    await scrape(app);
    expect(fake.requests.slice(before)).toEqual([]);
    const reason = 'the schedule from today on is as last time (only past days left the page)';
    expect(await pagesByCinema(app.store)).toEqual({
      'cinema-a-mall': { path: 'unchanged', reason },
      'cinema-b-mall': { path: 'unchanged', reason },
    });
    const horizon = dayRange(tomorrow, 14);
    expect(await storedShowings(app.store, horizon)).toEqual(expectedShowings(city, horizon));
    expect((await app.store.getLocation('kyiv'))?.coveredDays).toEqual(horizon);
  });

  it('takes from a page longer than the text the model gets only the days the text holds whole, and asks the rest', async () => {
    const { app, fake, city } = await setUp(['long']);
    await scrape(app);
    const [page] = await app.store.schedulePages('kyiv');
    const covered = Object.keys(page?.showtimes ?? {});
    expect(page).toMatchObject({ path: 'text', reason: expect.stringMatching(/are left to the model$/) });
    const horizon = dayRange(TODAY, 14);
    const rest = horizon.filter((day) => !covered.includes(day));
    // The cut falls within the horizon: some days come from the text, the others from the model's own reading.
    expect(covered.length).toBeGreaterThan(2);
    expect(rest.length).toBeGreaterThan(2);
    const questions = showtimeQuestions(fake.requests);
    expect(pageQuestions(questions)).toHaveLength(1);
    const read = questions.filter((q) => q.urlContext).map((q) => /^Date: (.*)$/m.exec(q.prompt)?.[1]);
    expect(read).toEqual(expect.arrayContaining(rest));
    expect(read).toHaveLength(rest.length);
    expect(await storedShowings(app.store, horizon)).toEqual(expectedShowings(city, horizon));
    expect((await app.store.getLocation('kyiv'))?.coveredDays).toEqual(horizon);
  });

  it('one changed page is one question, and a page that lost most of its showtimes is flagged, not emptied', async () => {
    const { app, fake, city, sites } = await setUp(['json-ld', 'server-rendered']);
    await scrape(app);
    const tomorrow = addDays(TODAY, 1);
    now = new Date(`${tomorrow}T10:00:00+02:00`);
    const extra: PageShowing = {
      film: city.movies[0]?.titleUk ?? '',
      day: addDays(TODAY, 3),
      time: '23:45',
      format: '2D',
      bookingPath: '/book/late',
    };
    sites.serve(
      pathOf(1),
      pageOf('server-rendered', city, 1, tomorrow, (showings) => [...showings, extra]),
    );
    let before = fake.requests.length;
    await scrape(app);

    expect(fake.requests.slice(before).map((request) => request.step)).toEqual(['showtimes']);
    expect(pageQuestions(fake.requests.slice(before))).toHaveLength(1);
    const late = localIso(addDays(TODAY, 3), '23:45', ZONE);
    expect(await storedShowings(app.store, dayRange(tomorrow, 14))).toContain(
      `${keyOf(city.movies[0]?.originalTitle ?? '')}|cinema-b-mall|${late}|2D`,
    );

    // The next day the page shows one showing a day, a fraction of what it did: the read is flagged, the stored
    // showtimes stay, and the model reads the page.
    const later = addDays(TODAY, 2);
    now = new Date(`${later}T10:00:00+02:00`);
    const firstOfDay = (showings: PageShowing[]) =>
      showings.filter((s, i) => showings.findIndex((o) => o.day === s.day) === i);
    sites.serve(pathOf(1), pageOf('server-rendered', city, 1, later, firstOfDay));
    before = fake.requests.length;
    await scrape(app);
    const page = (await app.store.schedulePages('kyiv')).find((p) => p.theaterKey === 'cinema-b-mall');
    expect(page).toMatchObject({
      path: 'model',
      flagged: expect.stringMatching(/^the page held \d+ showtimes \(1\.0 a day\) where .* it may have changed shape$/),
    });
    const asked = showtimeQuestions(fake.requests.slice(before));
    expect(asked.filter((q) => q.urlContext && q.prompt.includes('Cinema: Cinema B Mall'))).not.toHaveLength(0);
    const [run] = await app.store.scrapeRuns('kyiv', 1);
    expect(run?.errors.some((error) => error.startsWith('Cinema B Mall: the page held '))).toBe(true);
  });
});
