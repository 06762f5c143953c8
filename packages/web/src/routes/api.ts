import { createHash } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { VersionedCache } from '../domain/cache.ts';
import { catalogCity } from '../domain/cities.ts';
import type { Location } from '../domain/model.ts';
import type { Showtimes } from '../domain/showtimes.ts';
import { cityNotFound } from './http-error.ts';
import { knownParameters, parseRange, visitorOf } from './input.ts';

function coverage(location: Location) {
  const days = location.coveredDays;
  return { from: days[0] ?? null, to: days.at(-1) ?? null, days };
}

function cityJson(location: Location) {
  return {
    slug: location.slug,
    names: location.names,
    timezone: location.timezone,
    status: location.status,
    coverage: coverage(location),
    lastScrapeAt: location.lastScrapeAt ?? null,
  };
}

/** A response body kept as bytes, so a cached answer is not encoded again on every request. */
interface CachedBody {
  body: Buffer;
  etag: string;
}

function sendJson(req: Request, res: Response, cached: CachedBody): void {
  res.set({ 'Content-Type': 'application/json; charset=utf-8', ETag: cached.etag, 'Cache-Control': 'no-cache' });
  if (req.fresh) res.status(304).end();
  else res.send(cached.body);
}

/** The public JSON API (docs/API.md). */
export function apiRoutes(showtimes: Showtimes, cacheMaxEntries: number): Router {
  const router = Router();
  const bodies = new VersionedCache<CachedBody>(cacheMaxEntries);

  router.get('/api/cities', async (req, res) => {
    knownParameters(req.query, []);
    const cities = await showtimes.cities();
    res.set('Cache-Control', 'no-cache').json({ cities: cities.map(cityJson) });
  });

  router.get('/api/cities/:slug/showtimes', async (req: Request<{ slug: string }>, res) => {
    const city = catalogCity(req.params.slug);
    if (!city) throw cityNotFound(req.params.slug);
    const range = parseRange(knownParameters(req.query, ['from', 'to']), showtimes.today(city));
    const data = await showtimes.forCity(city.slug, range.from, range.to, visitorOf(req));
    if (!data) throw cityNotFound(req.params.slug);
    const key = `${city.slug}|${range.from}|${range.to}|${data.location.status}|${data.notice ?? ''}`;
    let cached = bodies.get(key, data.version);
    if (!cached) {
      const { location } = data;
      const body = JSON.stringify({
        city: { slug: location.slug, names: location.names, timezone: location.timezone },
        status: location.status,
        progress: location.progress ?? null,
        notice: data.notice ?? null,
        coverage: coverage(location),
        range,
        movies: data.movies.map(({ city: _city, ...movie }) => movie),
      });
      cached = { body: Buffer.from(body), etag: `W/"${createHash('sha1').update(body).digest('base64url')}"` };
      bodies.set(key, data.version, cached);
    }
    sendJson(req, res, cached);
  });

  router.get('/api/cities/:slug/status', async (req: Request<{ slug: string }>, res) => {
    knownParameters(req.query, []);
    const location = await showtimes.location(req.params.slug);
    if (!location) throw cityNotFound(req.params.slug);
    res.set('Cache-Control', 'no-store').json({ ...cityJson(location), progress: location.progress ?? null });
  });

  return router;
}
