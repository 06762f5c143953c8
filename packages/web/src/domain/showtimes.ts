import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';
import { daysToFetch, HORIZON_DAYS } from '../scrape/planner.ts';
import type { Store } from '../store/store.ts';
import { VersionedCache } from './cache.ts';
import { catalogCity } from './cities.ts';
import type { Day, Location, Movie } from './model.ts';
import type { ShowtimeSource } from './source.ts';
import { todayIn } from './time.ts';

export type Clock = () => Date;

export interface CityShowtimes {
  location: Location;
  movies: Movie[];
  /** The city's data version these were read at; rendered output may be cached under it. */
  version: number;
}

const LOCK_TTL_MS = 10 * 60_000;

/** The use-cases behind the pages and the API: reading showtimes and keeping them fresh. */
export class Showtimes {
  readonly #store: Store;
  readonly #source: ShowtimeSource;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #cache: VersionedCache<CityShowtimes>;
  readonly #owner = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly #running = new Set<string>();
  /** Per city, the version and day at which its horizon was last seen complete, to skip re-checking it. */
  readonly #completeAt = new Map<string, { version: number; today: Day }>();

  constructor(deps: { store: Store; source: ShowtimeSource; clock: Clock; log: Logger; cacheMaxEntries: number }) {
    this.#store = deps.store;
    this.#source = deps.source;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#cache = new VersionedCache(deps.cacheMaxEntries);
  }

  /** The catalog cities as stored; a quick local source (sample data) first fills what any of them is missing. */
  async cities(): Promise<Location[]> {
    const stored = async () => (await this.#store.listLocations()).filter((location) => catalogCity(location.slug));
    const locations = await stored();
    if (!this.#source.runsInline) return locations;
    const incomplete = locations.filter(
      (location) => daysToFetch(location.coveredDays, this.today(location)).length > 0,
    );
    for (const location of incomplete) await this.ensureFresh(location);
    return incomplete.length > 0 ? stored() : locations;
  }

  async location(slug: string): Promise<Location | null> {
    return catalogCity(slug) ? this.#store.getLocation(slug) : null;
  }

  today(location: Pick<Location, 'timezone'>): Day {
    return todayIn(location.timezone, this.#clock());
  }

  /**
   * The stored showtimes of [from, to] for a catalog city; starts fetching the missing days of the
   * horizon first (waiting for it only when the source is local and quick). Null for an unknown city.
   */
  async forCity(slug: string, from: Day, to: Day): Promise<CityShowtimes | null> {
    if (!catalogCity(slug)) return null;
    let data = await this.#read(slug, from, to);
    if (!data) return null;
    const today = this.today(data.location);
    const checked = this.#completeAt.get(slug);
    if (checked?.version === data.version && checked.today === today) return data;
    if (daysToFetch(data.location.coveredDays, today, HORIZON_DAYS).length > 0) {
      await this.ensureFresh(data.location);
      data = (await this.#read(slug, from, to)) ?? data;
    } else {
      this.#completeAt.set(slug, { version: data.version, today });
    }
    return data;
  }

  async #read(slug: string, from: Day, to: Day): Promise<CityShowtimes | null> {
    const version = await this.#store.cityVersion(slug);
    const key = `${slug}|${from}|${to}`;
    const cached = this.#cache.get(key, version);
    if (cached) return cached;
    const location = await this.#store.getLocation(slug);
    if (!location) return null;
    const movies = await this.#store.moviesFor(slug, { from, to }, this.#clock());
    const data = { location, movies, version: location.version };
    this.#cache.set(key, location.version, data);
    return data;
  }

  /** Fetches the missing days of the city's horizon unless another worker already is; one fetch per city at a time. */
  async ensureFresh(location: Location): Promise<void> {
    const missing = daysToFetch(location.coveredDays, this.today(location), HORIZON_DAYS);
    if (missing.length === 0 || this.#running.has(location.slug)) return;
    const lock = `scrape:${location.slug}`;
    if (!(await this.#store.acquireLock(lock, this.#owner, LOCK_TTL_MS, this.#clock()))) return;
    this.#running.add(location.slug);
    const run = this.#fetch(location, missing).finally(async () => {
      this.#running.delete(location.slug);
      await this.#store.releaseLock(lock, this.#owner);
    });
    if (this.#source.runsInline) await run;
    else run.catch(() => undefined);
  }

  async #fetch(location: Location, days: Day[]): Promise<void> {
    const slug = location.slug;
    await this.#store.updateLocation(slug, { status: 'scraping', progress: { done: 0, total: days.length } });
    try {
      await this.#source.fetchDays(location, days, (done, total) => {
        this.#store.updateLocation(slug, { progress: { done, total } }).catch((error: unknown) => {
          this.#log.warn('could not store fetch progress', { city: slug, error: String(error) });
        });
      });
      await this.#store.updateLocation(slug, {
        status: 'idle',
        progress: null,
        lastScrapeAt: this.#clock().toISOString(),
      });
    } catch (error) {
      this.#log.error('fetching showtimes failed', { city: slug, days: days.length, error: String(error) });
      await this.#store.updateLocation(slug, { status: 'failed', progress: null });
    }
  }
}
