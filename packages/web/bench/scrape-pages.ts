// The schedule-page scenario of the scraping benchmark: the cinemas' own pages, server-rendered and served on
// loopback, read by the site itself (SCHEDULE_PAGES=on) with the model reading only their text. A full city, a
// next-day refresh with no page changed, and the day after, when one cinema's page changed.
import type { PageReadPath } from '../src/domain/model.ts';
import { dayRange, todayIn } from '../src/domain/time.ts';
import { PAGE_DAYS } from '../src/scrape/page-reading.ts';
import { createPageFetcher } from '../src/scrape/web/fetcher.ts';
import { type CinemaSites, cityShowings, serverRenderedPage, startCinemaSites } from '../test/support/cinema-sites.ts';
import { type FakeCity, fakeCity } from '../test/support/fake-city.ts';
import { startFakeGemini } from '../test/support/fake-gemini.ts';
import { benchClock, openBenchSite, type ScrapeFigures, scrape } from './scrape-run.ts';

const DAY_MS = 86_400_000;

export interface PagesFigures extends ScrapeFigures {
  /** Cinema pages by the path each took. */
  paths: Partial<Record<PageReadPath, number>>;
}

export interface PagesResult {
  full: PagesFigures;
  unchanged: PagesFigures;
  oneChanged: PagesFigures;
}

export interface PagesOptions {
  theaters: number;
  movies: number;
  latencyMs: number;
}

/** Cinema `index`'s page as it lists its showings from `today` on. */
function servePage(sites: CinemaSites, city: FakeCity, index: number, today: string): void {
  const name = city.theaters[index]?.name ?? '';
  sites.serve(`/cinema-${index + 1}/schedule`, {
    html: serverRenderedPage(name, cityShowings(city, index, dayRange(today, PAGE_DAYS))),
  });
}

export async function benchPages(options: PagesOptions): Promise<PagesResult> {
  const clock = benchClock();
  const sites = await startCinemaSites({
    '/robots.txt': { html: 'User-agent: *\nAllow: /\n', contentType: 'text/plain' },
  });
  const city = fakeCity({
    theaters: options.theaters,
    movies: options.movies,
    clock: clock.now,
    siteOrigin: sites.origin,
  });
  const fake = await startFakeGemini({ answer: city.answer, latencyMs: options.latencyMs });
  const pages = createPageFetcher({
    userAgent: 'CineStream/bench (+https://cinestream.example)',
    allowLoopback: true,
    perHostDelayMs: 0,
  });
  const site = await openBenchSite(fake, 'cinema-day', clock.now, undefined, pages);
  const today = () => todayIn('Europe/Kyiv', clock.now());
  const bench = { fake, city, granularity: 'cinema-day' as const, setCityClock: () => undefined };
  const visit = async (): Promise<PagesFigures> => {
    const figures = await scrape(bench, site.store, site.showtimes, today());
    const [run] = await site.store.scrapeRuns('kyiv', 1);
    return { ...figures, paths: run?.pages ?? {} };
  };
  try {
    for (const index of city.theaters.keys()) servePage(sites, city, index, today());
    const full = await visit();
    clock.advance(DAY_MS);
    const unchanged = await visit();
    clock.advance(DAY_MS);
    // The first cinema's page now starts two days later; the others are as they were.
    servePage(sites, city, 0, today());
    const oneChanged = await visit();
    return { full, unchanged, oneChanged };
  } finally {
    await site.close();
    await fake.close();
    await sites.close();
  }
}
