import { type Request, type Response, Router } from 'express';
import { VersionedCache } from '../domain/cache.ts';
import { catalogCity } from '../domain/cities.ts';
import type { Location } from '../domain/model.ts';
import type { Showtimes } from '../domain/showtimes.ts';
import { type Encoded, encode, sendEncoded } from './compression.ts';
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

/** A cached answer kept compressed, so it is neither encoded nor compressed again on every request. */
function sendJson(req: Request, res: Response, cached: Encoded): void {
  res.set({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
  sendEncoded(req, res, cached);
}

/** The public JSON API (docs/API.md). */
export function apiRoutes(showtimes: Showtimes, cacheMaxEntries: number): Router {
  const router = Router();
  const bodies = new VersionedCache<Encoded>(cacheMaxEntries);

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
      cached = encode(Buffer.from(body));
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
