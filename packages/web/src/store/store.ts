import type {
  CityDay,
  CitySeed,
  Day,
  Location,
  LocationPatch,
  Movie,
  MovieInput,
  SchedulePage,
  ScrapeRun,
} from '../domain/model.ts';

export type StoreKind = 'sqlite' | 'mongo';

/** Movies with at least one showtime in [from, to] (local days, inclusive); other showtimes are left out. */
export interface DayRange {
  from: Day;
  to: Day;
}

/** The persistence port. Both adapters pass `store.contract.ts`. */
export interface Store {
  readonly kind: StoreKind;

  /** Creates tables/collections and indexes; idempotent. Returns a line per change made (none when converged). */
  init(): Promise<string[]>;
  close(): Promise<void>;

  /** Inserts a catalog city, or updates its names and timezone; never touches scrape state. */
  upsertLocation(seed: CitySeed): Promise<void>;
  getLocation(slug: string): Promise<Location | null>;
  listLocations(): Promise<Location[]>;
  /** Applies the patch and bumps the city's version. Unknown slug: no-op. */
  updateLocation(slug: string, patch: LocationPatch): Promise<void>;
  /** The city's data version (0 when unknown); cheap enough to call on every request. */
  cityVersion(slug: string): Promise<number>;

  /** Merges the input into the stored movie (same movie/theater/showtime never duplicated), renews its TTL, bumps the city's version. */
  upsertMovie(input: MovieInput, now: Date): Promise<void>;
  moviesFor(city: string, range: DayRange, now: Date): Promise<Movie[]>;

  /** Adds `amount` to a named counter atomically across processes and returns the new value. */
  addToCounter(name: string, amount: number): Promise<number>;
  /** A named counter's value (0 when never added to). */
  counter(name: string): Promise<number>;

  /** What is known of the city's days, oldest first (none for an unknown city). */
  cityDays(city: string): Promise<CityDay[]>;
  /** Replaces the record of one city-day. */
  putCityDay(city: string, record: CityDay): Promise<void>;

  /** The last read of each of the city's cinema schedule pages, by cinema key (none for an unknown city). */
  schedulePages(city: string): Promise<SchedulePage[]>;
  /** Replaces the record of one cinema's page. */
  putSchedulePage(city: string, page: SchedulePage): Promise<void>;

  recordScrapeRun(run: ScrapeRun): Promise<void>;
  scrapeRuns(city: string, limit: number): Promise<ScrapeRun[]>;
  /** Every city's runs started at or after `since`, oldest first. */
  scrapeRunsSince(since: Date): Promise<ScrapeRun[]>;

  /** True when `owner` now holds the lock: it was free, expired, or already held by `owner` (then renewed). */
  acquireLock(name: string, owner: string, ttlMs: number, now: Date): Promise<boolean>;
  releaseLock(name: string, owner: string): Promise<void>;

  /** Deletes movies whose `expiresAt` has passed (MongoDB's TTL index does this by itself); returns how many. */
  purgeExpired(now: Date): Promise<number>;
}

export const MOVIE_TTL_DAYS = 90;
