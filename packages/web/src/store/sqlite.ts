import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLOutputValue } from 'node:sqlite';
import { applyLocationPatch } from '../domain/location-patch.ts';
import { filterMovieToRange, mergeMovie } from '../domain/merge.ts';
import {
  type CityDay,
  type CitySeed,
  LANGS,
  type Location,
  type LocationPatch,
  type Movie,
  type MovieInput,
  type SchedulePage,
  type ScrapeRun,
} from '../domain/model.ts';
import type { DayRange, Store } from './store.ts';

const SCHEMA: readonly { type: 'table' | 'index'; name: string; sql: string }[] = [
  {
    type: 'table',
    name: 'locations',
    sql: 'CREATE TABLE IF NOT EXISTS locations (slug TEXT PRIMARY KEY, doc TEXT NOT NULL, version INTEGER NOT NULL) STRICT',
  },
  {
    type: 'table',
    name: 'movies',
    sql: `CREATE TABLE IF NOT EXISTS movies (
      city TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL,
      first_day TEXT, last_day TEXT, expires_at INTEGER NOT NULL,
      PRIMARY KEY (city, key)) STRICT`,
  },
  {
    type: 'index',
    name: 'movies_expires_at',
    sql: 'CREATE INDEX IF NOT EXISTS movies_expires_at ON movies (expires_at)',
  },
  {
    type: 'table',
    name: 'stats',
    sql: 'CREATE TABLE IF NOT EXISTS stats (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT',
  },
  {
    type: 'table',
    name: 'scrape_runs',
    sql: 'CREATE TABLE IF NOT EXISTS scrape_runs (id TEXT PRIMARY KEY, city TEXT NOT NULL, started_at TEXT NOT NULL, doc TEXT NOT NULL) STRICT',
  },
  {
    type: 'index',
    name: 'scrape_runs_city_started_at',
    sql: 'CREATE INDEX IF NOT EXISTS scrape_runs_city_started_at ON scrape_runs (city, started_at DESC)',
  },
  {
    type: 'table',
    name: 'city_days',
    sql: 'CREATE TABLE IF NOT EXISTS city_days (city TEXT NOT NULL, day TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (city, day)) STRICT',
  },
  {
    type: 'table',
    name: 'schedule_pages',
    sql: 'CREATE TABLE IF NOT EXISTS schedule_pages (city TEXT NOT NULL, theater_key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (city, theater_key)) STRICT',
  },
  {
    type: 'table',
    name: 'locks',
    sql: 'CREATE TABLE IF NOT EXISTS locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL) STRICT',
  },
];

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: DatabaseSync) {
  return {
    locationGet: db.prepare('SELECT doc, version FROM locations WHERE slug = ?'),
    locationList: db.prepare('SELECT doc, version FROM locations ORDER BY slug'),
    locationInsert: db.prepare('INSERT INTO locations (slug, doc, version) VALUES (?, ?, 1)'),
    locationUpdate: db.prepare('UPDATE locations SET doc = ?, version = version + 1 WHERE slug = ?'),
    locationBump: db.prepare('UPDATE locations SET version = version + 1 WHERE slug = ?'),
    cityVersion: db.prepare('SELECT version FROM locations WHERE slug = ?'),
    movieGet: db.prepare('SELECT doc FROM movies WHERE city = ? AND key = ?'),
    movieUpsert: db.prepare(
      `INSERT INTO movies (city, key, doc, first_day, last_day, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (city, key) DO UPDATE SET doc = excluded.doc, first_day = excluded.first_day,
         last_day = excluded.last_day, expires_at = excluded.expires_at`,
    ),
    moviesInRange: db.prepare(
      `SELECT doc FROM movies WHERE city = ? AND expires_at > ? AND first_day <= ? AND last_day >= ? ORDER BY key`,
    ),
    expiredCities: db.prepare('SELECT DISTINCT city FROM movies WHERE expires_at <= ?'),
    purgeExpired: db.prepare('DELETE FROM movies WHERE expires_at <= ?'),
    counterAdd: db.prepare(
      'INSERT INTO stats (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value RETURNING value',
    ),
    counterGet: db.prepare('SELECT value FROM stats WHERE name = ?'),
    cityDayPut: db.prepare('INSERT OR REPLACE INTO city_days (city, day, doc) VALUES (?, ?, ?)'),
    cityDaysFor: db.prepare('SELECT doc FROM city_days WHERE city = ? ORDER BY day'),
    pagePut: db.prepare('INSERT OR REPLACE INTO schedule_pages (city, theater_key, doc) VALUES (?, ?, ?)'),
    pagesFor: db.prepare('SELECT doc FROM schedule_pages WHERE city = ? ORDER BY theater_key'),
    runUpsert: db.prepare('INSERT OR REPLACE INTO scrape_runs (id, city, started_at, doc) VALUES (?, ?, ?, ?)'),
    runsFor: db.prepare('SELECT doc FROM scrape_runs WHERE city = ? ORDER BY started_at DESC, id DESC LIMIT ?'),
    runsSince: db.prepare('SELECT doc FROM scrape_runs WHERE started_at >= ? ORDER BY started_at, id'),
    lockAcquire: db.prepare(
      `INSERT INTO locks (name, owner, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE locks.expires_at <= ? OR locks.owner = excluded.owner
       RETURNING owner`,
    ),
    lockRelease: db.prepare('DELETE FROM locks WHERE name = ? AND owner = ?'),
  };
}

/** The embedded store: one SQLite file in WAL mode, shared safely by all worker processes on the host. */
export function openSqliteStore(file: string): Store {
  return new SqliteStore(file);
}

// No schema in the constructor: init() creates it and reports what was missing, or the first other call does, silently.
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly #db: DatabaseSync;
  #statements: Statements | undefined;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new DatabaseSync(file, { timeout: 5000 });
    this.#db.exec('PRAGMA busy_timeout = 5000');
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec('PRAGMA synchronous = NORMAL');
    this.#db.exec('PRAGMA foreign_keys = ON');
  }

  async init(): Promise<string[]> {
    const changes = this.#createSchema();
    this.#statements ??= prepareStatements(this.#db);
    return changes;
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  async upsertLocation(seed: CitySeed): Promise<void> {
    const s = this.#ready();
    this.#transaction(() => {
      const row = s.locationGet.get(seed.slug);
      if (!row) {
        const location: Omit<Location, 'version'> = { ...seed, status: 'idle', coveredDays: [], theaters: [] };
        s.locationInsert.run(seed.slug, JSON.stringify(location));
        return;
      }
      const stored = toLocation(row);
      if (LANGS.every((lang) => stored.names[lang] === seed.names[lang]) && stored.timezone === seed.timezone) return;
      const { version: _version, ...doc } = stored;
      s.locationUpdate.run(JSON.stringify({ ...doc, names: { ...seed.names }, timezone: seed.timezone }), seed.slug);
    });
  }

  async getLocation(slug: string): Promise<Location | null> {
    const row = this.#ready().locationGet.get(slug);
    return row ? toLocation(row) : null;
  }

  async listLocations(): Promise<Location[]> {
    return this.#ready().locationList.all().map(toLocation);
  }

  async updateLocation(slug: string, patch: LocationPatch): Promise<void> {
    const s = this.#ready();
    this.#transaction(() => {
      const row = s.locationGet.get(slug);
      if (!row) return;
      const { version: _version, ...doc } = applyLocationPatch(toLocation(row), patch);
      s.locationUpdate.run(JSON.stringify(doc), slug);
    });
  }

  async cityVersion(slug: string): Promise<number> {
    const row = this.#ready().cityVersion.get(slug);
    return row ? Number(row.version) : 0;
  }

  async upsertMovie(input: MovieInput, now: Date): Promise<void> {
    const s = this.#ready();
    this.#transaction(() => {
      const row = s.movieGet.get(input.city, input.key);
      const stored = row ? (JSON.parse(text(row.doc)) as Movie) : null;
      const existing = stored && Date.parse(stored.expiresAt) > now.getTime() ? stored : null;
      const movie = mergeMovie(existing, input, now);
      s.movieUpsert.run(
        movie.city,
        movie.key,
        JSON.stringify(movie),
        movie.days[0] ?? null,
        movie.days.at(-1) ?? null,
        Date.parse(movie.expiresAt),
      );
      s.locationBump.run(movie.city);
    });
  }

  async moviesFor(city: string, range: DayRange, now: Date): Promise<Movie[]> {
    const rows = this.#ready().moviesInRange.all(city, now.getTime(), range.to, range.from);
    const movies: Movie[] = [];
    for (const row of rows) {
      const movie = filterMovieToRange(JSON.parse(text(row.doc)) as Movie, range);
      if (movie) movies.push(movie);
    }
    return movies;
  }

  async addToCounter(name: string, amount: number): Promise<number> {
    const row = this.#ready().counterAdd.get(name, amount);
    return Number(row?.value);
  }

  async counter(name: string): Promise<number> {
    const row = this.#ready().counterGet.get(name);
    return row ? Number(row.value) : 0;
  }

  async cityDays(city: string): Promise<CityDay[]> {
    return this.#ready()
      .cityDaysFor.all(city)
      .map((row) => JSON.parse(text(row.doc)) as CityDay);
  }

  async putCityDay(city: string, record: CityDay): Promise<void> {
    this.#ready().cityDayPut.run(city, record.day, JSON.stringify(record));
  }

  async schedulePages(city: string): Promise<SchedulePage[]> {
    return this.#ready()
      .pagesFor.all(city)
      .map((row) => JSON.parse(text(row.doc)) as SchedulePage);
  }

  async putSchedulePage(city: string, page: SchedulePage): Promise<void> {
    this.#ready().pagePut.run(city, page.theaterKey, JSON.stringify(page));
  }

  async recordScrapeRun(run: ScrapeRun): Promise<void> {
    this.#ready().runUpsert.run(run.id, run.city, run.startedAt, JSON.stringify(run));
  }

  async scrapeRuns(city: string, limit: number): Promise<ScrapeRun[]> {
    if (limit <= 0) return [];
    return this.#ready()
      .runsFor.all(city, limit)
      .map((row) => JSON.parse(text(row.doc)) as ScrapeRun);
  }

  async scrapeRunsSince(since: Date): Promise<ScrapeRun[]> {
    return this.#ready()
      .runsSince.all(since.toISOString())
      .map((row) => JSON.parse(text(row.doc)) as ScrapeRun);
  }

  async acquireLock(name: string, owner: string, ttlMs: number, now: Date): Promise<boolean> {
    const row = this.#ready().lockAcquire.get(name, owner, now.getTime() + ttlMs, now.getTime());
    return row !== undefined;
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    this.#ready().lockRelease.run(name, owner);
  }

  async purgeExpired(now: Date): Promise<number> {
    const s = this.#ready();
    return this.#transaction(() => {
      const cities = s.expiredCities.all(now.getTime()).map((row) => text(row.city));
      const { changes } = s.purgeExpired.run(now.getTime());
      for (const city of cities) s.locationBump.run(city);
      return Number(changes);
    });
  }

  #ready(): Statements {
    if (!this.#statements) {
      this.#createSchema();
      this.#statements = prepareStatements(this.#db);
    }
    return this.#statements;
  }

  /** Creates what is missing; returns a line per table or index created. */
  #createSchema(): string[] {
    return this.#transaction(() => {
      const existing = new Set(
        this.#db
          .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index')")
          .all()
          .map((row) => `${text(row.type)} ${text(row.name)}`),
      );
      const changes: string[] = [];
      for (const object of SCHEMA) {
        this.#db.exec(object.sql);
        if (!existing.has(`${object.type} ${object.name}`)) changes.push(`created ${object.type} ${object.name}`);
      }
      return changes;
    });
  }

  /** Runs `work` (synchronous, so nothing else in this process interleaves) holding the database's write lock. */
  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}

function toLocation(row: Record<string, SQLOutputValue>): Location {
  return { ...(JSON.parse(text(row.doc)) as Omit<Location, 'version'>), version: Number(row.version) };
}

function text(value: SQLOutputValue | undefined): string {
  if (typeof value !== 'string') throw new TypeError(`expected a text column, got ${typeof value}`);
  return value;
}
