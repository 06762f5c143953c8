import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { TokenBudget } from '../scrape/budget.ts';
import { fetchStalled, holdLock } from '../scrape/lock.ts';
import type { RateLimiter } from '../scrape/rate-limit.ts';
import type { Store } from '../store/store.ts';
import { VersionedCache } from './cache.ts';
import { catalogCity } from './cities.ts';
import { DEFAULT_RULES, type FreshnessRules } from './freshness.ts';
import type { Day, Location, Movie } from './model.ts';
import { daysToFetchNow } from './planner.ts';
import type { ShowtimeSource } from './source.ts';
import { todayIn } from './time.ts';

export type Clock = () => Date;

/** Why missing days are not being fetched right now; stored data is served either way. */
export type FreshnessNotice = 'budget-exhausted' | 'rate-limited';

export interface CityShowtimes {
  location: Location;
  movies: Movie[];
  /** The city's data version these were read at; rendered output may be cached under it. */
  version: number;
  notice?: FreshnessNotice;
}

/** Limits on fetches that cost money; the bundled sample source needs none. */
export interface FetchGuard {
  budget: TokenBudget;
  /** Fetches one visitor (IP address) may start. */
  perVisitor: RateLimiter;
  /** After a failed or partial fetch, the city is not fetched again for this long. */
  retryAfterMs: number;
}

/** Who is asking, for the per-visitor limit. */
export interface Visitor {
  ip: string;
  /** False for a look that must change nothing (HEAD): stored data only, no fetch. */
  startsFetch?: boolean;
}

const LOCK_TTL_MS = 90_000;
/** A city found needing nothing is not checked again for this long (unless its data changes): days go stale with time. */
const RECHECK_MS = 60_000;

/** The use-cases behind the pages and the API: reading showtimes and keeping them fresh. */
export class Showtimes {
  readonly #store: Store;
  readonly #source: ShowtimeSource;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #guard: FetchGuard | undefined;
  readonly #cache: VersionedCache<Omit<CityShowtimes, 'notice'>>;
  readonly #owner = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly #running = new Map<string, Promise<void>>();
  /** Per city, the version at which its horizon was last seen needing nothing, and until when to trust that. */
  readonly #completeAt = new Map<string, { version: number; until: number }>();
  readonly #freshness: FreshnessRules;

  constructor(deps: {
    store: Store;
    source: ShowtimeSource;
    clock: Clock;
    log: Logger;
    cacheMaxEntries: number;
    guard?: FetchGuard;
    freshness?: FreshnessRules;
  }) {
    this.#freshness = deps.freshness ?? DEFAULT_RULES;
    this.#store = deps.store;
    this.#source = deps.source;
    this.#clock = deps.clock;
    this.#log = deps.log;
    this.#guard = deps.guard;
    this.#cache = new VersionedCache(deps.cacheMaxEntries);
  }

  get sourceKind(): ShowtimeSource['kind'] {
    return this.#source.kind;
  }

  /** The catalog cities as stored; a quick local source (sample data) first fills what any of them is missing. */
  async cities(): Promise<Location[]> {
    const stored = async () => (await this.#store.listLocations()).filter((location) => catalogCity(location.slug));
    let locations = await stored();
    const incomplete: Location[] = [];
    if (this.#source.runsInline) {
      for (const location of locations) if ((await this.#daysToFetch(location)).length > 0) incomplete.push(location);
    }
    for (const location of incomplete) await this.ensureFresh(location);
    if (incomplete.length > 0) locations = await stored();
    return locations.map((location) => this.#shown(location));
  }

  async location(slug: string): Promise<Location | null> {
    const location = catalogCity(slug) ? await this.#store.getLocation(slug) : null;
    return location && this.#shown(location);
  }

  /** The location as visitors see it: a fetch whose worker died shows as `stalled` until another resumes it. */
  #shown(location: Location): Location {
    return fetchStalled(location, this.#clock()) ? { ...location, status: 'stalled' } : location;
  }

  today(location: Pick<Location, 'timezone'>): Day {
    return todayIn(location.timezone, this.#clock());
  }

  /**
   * The stored showtimes of [from, to] for a catalog city; starts fetching the missing days of the horizon
   * first (waiting for it only when the source is local and quick). Null for an unknown city, which never
   * reaches the source.
   */
  async forCity(slug: string, from: Day, to: Day, visitor?: Visitor): Promise<CityShowtimes | null> {
    const data = await this.#forCity(slug, from, to, visitor);
    return data && { ...data, location: this.#shown(data.location) };
  }

  async #forCity(slug: string, from: Day, to: Day, visitor?: Visitor): Promise<CityShowtimes | null> {
    if (!catalogCity(slug)) return null;
    let data = await this.#read(slug, from, to);
    if (!data || visitor?.startsFetch === false) return data;
    const now = this.#clock().getTime();
    const checked = this.#completeAt.get(slug);
    if (checked?.version === data.version && now < checked.until) return data;
    if ((await this.#daysToFetch(data.location)).length === 0) {
      this.#completeAt.set(slug, { version: data.version, until: now + RECHECK_MS });
      return data;
    }
    const notice = await this.ensureFresh(data.location, visitor);
    data = (await this.#read(slug, from, to)) ?? data;
    return notice ? { ...data, notice } : data;
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

  /** The days the freshness policy says to fetch now: missing, empty since the weekly publication, or stale. */
  async #daysToFetch(location: Location): Promise<Day[]> {
    const cityDays = await this.#store.cityDays(location.slug);
    return daysToFetchNow(location, cityDays, this.#clock(), this.#freshness);
  }

  /**
   * Starts fetching the city's missing days unless a fetch is running (in any worker), the last one failed
   * moments ago, or a guard says no (then says which). One fetch per city at a time across all workers; a
   * city left "scraping" by a worker that died is resumed once that worker's lock has expired.
   */
  async ensureFresh(location: Location, visitor?: Visitor): Promise<FreshnessNotice | undefined> {
    const missing = await this.#daysToFetch(location);
    if (missing.length === 0 || this.#running.has(location.slug)) return undefined;
    const guard = this.#guard;
    if (guard) {
      const lastTry = Date.parse(location.lastScrapeAt ?? '');
      if (location.status === 'failed' && this.#clock().getTime() - lastTry < guard.retryAfterMs) return undefined;
      if (await guard.budget.exhausted()) return 'budget-exhausted';
    }
    const options = {
      ttlMs: LOCK_TTL_MS,
      clock: this.#clock,
      onRenew: (now: Date) => this.#store.updateLocation(location.slug, { heartbeatAt: now.toISOString() }),
    };
    const release = await holdLock(this.#store, `scrape:${location.slug}`, this.#owner, options);
    if (!release) return undefined;
    if (guard && !guard.perVisitor.take(visitor?.ip ?? 'unknown')) {
      await release();
      return 'rate-limited';
    }
    const run = this.#fetch(location, missing)
      .catch((error: unknown) => {
        this.#log.error('fetching showtimes failed', { city: location.slug, error: String(error) });
      })
      .finally(async () => {
        this.#running.delete(location.slug);
        await release();
      });
    this.#running.set(location.slug, run);
    if (this.#source.runsInline) await run;
    return undefined;
  }

  /** Resolves when every fetch this worker started has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running.values());
  }

  async #fetch(location: Location, days: Day[]): Promise<void> {
    const slug = location.slug;
    await this.#store.updateLocation(slug, {
      status: 'scraping',
      heartbeatAt: this.#clock().toISOString(),
      // The source reports progress in questions once it knows how many; until then, no count.
      progress: null,
      coveredFrom: this.today(location),
    });
    let outcome: Awaited<ReturnType<ShowtimeSource['fetchDays']>> = 'failed';
    try {
      const current = (await this.#store.getLocation(slug)) ?? location;
      outcome = await this.#source.fetchDays(current, days, (done, total) => {
        this.#store.updateLocation(slug, { progress: { done, total } }).catch((error: unknown) => {
          this.#log.warn('could not store fetch progress', { city: slug, error: String(error) });
        });
      });
    } finally {
      await this.#store.updateLocation(slug, {
        status: outcome === 'ok' ? 'idle' : 'failed',
        progress: null,
        lastScrapeAt: this.#clock().toISOString(),
      });
    }
  }
}
