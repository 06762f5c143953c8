import { type Request, type Response, Router } from 'express';
import { catalogCity } from '../domain/cities.ts';
import { HORIZON_DAYS } from '../domain/planner.ts';
import type { Clock } from '../domain/showtimes.ts';
import { addDays, todayIn } from '../domain/time.ts';
import type { Store } from '../store/store.ts';
import { cityPages, robotsTxt, type SitemapPage, sitemapXml } from '../views/sitemap.ts';
import { type Encoded, encode, sendEncoded } from './compression.ts';

/**
 * `/robots.txt` and `/sitemap.xml`. The sitemap lists what the store holds, never starting a fetch, and is
 * made again only when a city's data or the day changes.
 */
export function seoFiles(deps: { store: Store; clock: Clock; basePath: string; origin: (req: Request) => string }) {
  const router = Router();
  let last: { key: string; encoded: Encoded } | undefined;

  router.get('/robots.txt', (req: Request, res: Response) => {
    res.set({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'public, max-age=86400' });
    res.send(robotsTxt(deps.origin(req), deps.basePath));
  });

  router.get('/sitemap.xml', async (req: Request, res: Response) => {
    const now = deps.clock();
    const locations = (await deps.store.listLocations()).filter((location) => catalogCity(location.slug));
    const siteUrl = `${deps.origin(req)}${deps.basePath}`;
    const key = `${siteUrl}|${locations.map((l) => `${l.slug}:${l.version}:${todayIn(l.timezone, now)}`).join(',')}`;
    if (last?.key !== key) {
      const pages: SitemapPage[] = [{ path: '/' }];
      for (const location of locations) {
        const today = todayIn(location.timezone, now);
        const range = { from: today, to: addDays(today, HORIZON_DAYS - 1) };
        pages.push(...cityPages(location, await deps.store.moviesFor(location.slug, range, now), today));
      }
      last = { key, encoded: encode(Buffer.from(sitemapXml(siteUrl, pages))) };
    }
    res.set({ 'Content-Type': 'application/xml; charset=utf-8', 'Cache-Control': 'public, max-age=3600' });
    sendEncoded(req, res, last.encoded);
  });

  return router;
}
