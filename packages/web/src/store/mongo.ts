import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Collection, type Db, type Filter, MongoClient, MongoServerError } from 'mongodb';
import { applyLocationPatch } from '../domain/location-patch.ts';
import { filterMovieToRange, mergeMovie } from '../domain/merge.ts';
import type {
  CityDay,
  CitySeed,
  Location,
  LocationPatch,
  Movie,
  MovieInput,
  SchedulePage,
  ScrapeRun,
} from '../domain/model.ts';
import { dayRange, daysBetween } from '../domain/time.ts';
import type { DayRange, Store } from './store.ts';

interface LocationDoc extends Location {
  _id: string;
}

/** A movie as stored: `_id` is `city/key`, `rev` counts writes (optimistic concurrency), `expiresAt` is a Date for TTL. */
interface MovieDoc extends Omit<Movie, 'expiresAt'> {
  _id: string;
  rev: number;
  expiresAt: Date;
}

interface StatDoc {
  _id: string;
  value: number;
}

interface ScrapeRunDoc extends ScrapeRun {
  _id: string;
}

interface CityDayDoc extends CityDay {
  _id: string;
  city: string;
}

interface SchedulePageDoc extends SchedulePage {
  _id: string;
  city: string;
}

interface LockDoc {
  _id: string;
  owner: string;
  expiresAt: Date;
}

const COLLECTIONS = ['locations', 'movies', 'stats', 'scrape_runs', 'city_days', 'schedule_pages', 'locks'] as const;
type CollectionName = (typeof COLLECTIONS)[number];

const INDEXES: readonly {
  collection: CollectionName;
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  expireAfterSeconds?: number;
}[] = [
  { collection: 'locations', name: 'locations_slug', key: { slug: 1 }, unique: true },
  { collection: 'movies', name: 'movies_city_key', key: { city: 1, key: 1 }, unique: true },
  { collection: 'movies', name: 'movies_city_days', key: { city: 1, days: 1 } },
  { collection: 'movies', name: 'movies_expires_at', key: { expiresAt: 1 }, expireAfterSeconds: 0 },
  { collection: 'scrape_runs', name: 'scrape_runs_city_started_at', key: { city: 1, startedAt: -1 } },
  { collection: 'city_days', name: 'city_days_city_day', key: { city: 1, day: 1 } },
  { collection: 'schedule_pages', name: 'schedule_pages_city', key: { city: 1, theaterKey: 1 } },
  { collection: 'locks', name: 'locks_expires_at', key: { expiresAt: 1 }, expireAfterSeconds: 0 },
];

const MAX_WRITE_ATTEMPTS = 25;
/**
 * FerretDB's write mutex (see #alone): how long a writer waits for it, and when a dead holder's expires. The
 * writers are background fetches and db:init, never a visitor's request: waiting long beats losing a write.
 */
const MUTEX_WAIT_MS = 30_000;
const MUTEX_HOLD_MS = 10_000;
const DUPLICATE_KEY = 11000;
const NAMESPACE_EXISTS = 48;

/** The hosts part of a connection string, without credentials: `127.0.0.1:27017`. */
function hostsOf(uri: string): string {
  return (
    uri
      .replace(/^mongodb(\+srv)?:\/\//, '')
      .replace(/^[^@/]*@/, '')
      .split(/[/?]/)[0] ?? ''
  );
}

/** One sentence on why connecting failed and what to check; never the password. */
function connectProblem(uri: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  if (/auth/i.test(reason))
    return `MongoDB at ${hostsOf(uri)} refused the user in MONGO_URI (${reason}): check the user name, password and authSource`;
  return `cannot reach MongoDB at ${hostsOf(uri)} (${reason}): is mongod running there, and are MONGO_URI's host and port right?`;
}

/** What the store tells the operator beyond errors: the server went away or came back, how expiry works. */
export type StoreNotice = (level: 'info' | 'warn', message: string) => void;

/**
 * The production store: connects to MONGO_URI; the database is `dbName`, else the URI's, else `cinestream`.
 * While the server is away, each operation waits up to 5 s for it (the driver reconnects by itself and retries
 * a write once), then fails; `notice` hears once that it went away and once that it is back.
 */
export async function openMongoStore(uri: string, dbName?: string, notice: StoreNotice = () => {}): Promise<Store> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: 5_000,
    heartbeatFrequencyMS: 2_000,
    ignoreUndefined: true,
  });
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(connectProblem(uri, error));
  }
  reportReachability(client, hostsOf(uri), notice);
  const info = await client.db('admin').command({ buildInfo: 1 });
  const server = typeof info.ferretdbVersion === 'string' ? 'ferretdb' : 'mongodb';
  return new MongoStore(client, client.db(dbName ?? databaseInUri(uri) ?? 'cinestream'), server, notice);
}

/** One line when the server stops answering, one when it answers again; nothing for each failed heartbeat. */
function reportReachability(client: MongoClient, hosts: string, notice: StoreNotice): void {
  let reachable = true;
  client.on('serverHeartbeatFailed', (event) => {
    if (!reachable) return;
    reachable = false;
    notice(
      'warn',
      `lost MongoDB at ${hosts} (${event.failure.message}): requests fail after 5 s until it is back; reconnecting`,
    );
  });
  client.on('serverHeartbeatSucceeded', () => {
    if (reachable) return;
    reachable = true;
    notice('info', `MongoDB at ${hosts} is back`);
  });
}

export class MongoStore implements Store {
  readonly kind = 'mongo' as const;
  readonly #client: MongoClient;
  readonly #db: Db;
  readonly #locations: Collection<LocationDoc>;
  readonly #movies: Collection<MovieDoc>;
  readonly #stats: Collection<StatDoc>;
  readonly #runs: Collection<ScrapeRunDoc>;
  readonly #locks: Collection<LockDoc>;
  readonly #cityDays: Collection<CityDayDoc>;
  readonly #pages: Collection<SchedulePageDoc>;

  readonly #server: 'mongodb' | 'ferretdb';
  readonly #notice: StoreNotice;
  #expiryTold = false;

  constructor(client: MongoClient, db: Db, server: 'mongodb' | 'ferretdb' = 'mongodb', notice: StoreNotice = () => {}) {
    this.#client = client;
    this.#server = server;
    this.#notice = notice;
    this.#db = db;
    this.#locations = db.collection<LocationDoc>('locations');
    this.#movies = db.collection<MovieDoc>('movies');
    this.#stats = db.collection<StatDoc>('stats');
    this.#runs = db.collection<ScrapeRunDoc>('scrape_runs');
    this.#locks = db.collection<LockDoc>('locks');
    this.#cityDays = db.collection<CityDayDoc>('city_days');
    this.#pages = db.collection<SchedulePageDoc>('schedule_pages');
  }

  async init(): Promise<string[]> {
    const changes: string[] = [];
    // FerretDB 1.24 has no TTL indexes (expireAfterSeconds): there the same indexes are plain ones, and expired
    // movies go by purgeExpired, which the site runs every hour anyway. MongoDB keeps its TTL index.
    const ttl = this.#server === 'mongodb';
    if (!ttl && !this.#expiryTold) {
      this.#expiryTold = true;
      this.#notice('info', 'FerretDB has no TTL indexes: expired movies are deleted by the hourly purge');
    }
    const existing = new Set(
      (await this.#db.listCollections({}, { nameOnly: true }).toArray()).map((collection) => collection.name),
    );
    for (const name of COLLECTIONS) {
      if (existing.has(name)) continue;
      try {
        await this.#db.createCollection(name);
        changes.push(`created collection ${name}`);
      } catch (error) {
        if (!hasCode(error, NAMESPACE_EXISTS)) throw error;
      }
    }
    for (const name of COLLECTIONS) {
      const wanted = INDEXES.filter((index) => index.collection === name);
      if (wanted.length === 0) continue;
      const present = (await this.#db.collection(name).listIndexes().toArray()).map((index) => sameKey(index.key));
      for (const index of wanted) {
        if (present.includes(sameKey(index.key))) continue;
        const options: { name: string; unique?: boolean; expireAfterSeconds?: number } = { name: index.name };
        if (index.unique) options.unique = true;
        if (ttl && index.expireAfterSeconds !== undefined) options.expireAfterSeconds = index.expireAfterSeconds;
        await this.#db.collection(name).createIndex(index.key, options);
        changes.push(`created index ${index.name}`);
      }
    }
    return changes;
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  async upsertLocation(seed: CitySeed): Promise<void> {
    // An insert that may collide rather than an upsert with $setOnInsert: FerretDB 1.24 drops the empty arrays
    // of a $setOnInsert, and on MongoDB both are one atomic write.
    const fresh: LocationDoc = {
      _id: seed.slug,
      slug: seed.slug,
      names: { ...seed.names },
      timezone: seed.timezone,
      status: 'idle',
      coveredDays: [],
      theaters: [],
      version: 1,
    };
    try {
      await this.#locations.insertOne(fresh);
      return;
    } catch (error) {
      if (!hasCode(error, DUPLICATE_KEY)) throw error;
    }
    await this.#alone(`location:${seed.slug}`, () =>
      this.#locations.updateOne(
        {
          _id: seed.slug,
          $or: [
            { 'names.uk': { $ne: seed.names.uk } },
            { 'names.en': { $ne: seed.names.en } },
            { 'names.ru': { $ne: seed.names.ru } },
            { timezone: { $ne: seed.timezone } },
          ],
        },
        { $set: { names: { ...seed.names }, timezone: seed.timezone }, $inc: { version: 1 } },
      ),
    );
  }

  async getLocation(slug: string): Promise<Location | null> {
    const doc = await this.#locations.findOne({ _id: slug });
    return doc ? withoutId(doc) : null;
  }

  async listLocations(): Promise<Location[]> {
    return (await this.#locations.find().sort({ _id: 1 }).toArray()).map(withoutId);
  }

  async updateLocation(slug: string, patch: LocationPatch): Promise<void> {
    // A read-merge-write checked by the city's version, retried when another writer got there first — like
    // upsertMovie. Not an update pipeline ($setUnion, $sortArray, $filter…): FerretDB 1.24 has no aggregation
    // operators in updates, and on MongoDB the checked write is just as safe against concurrent patches.
    await this.#alone(`location:${slug}`, async () => {
      for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        const stored = await this.#locations.findOne({ _id: slug });
        if (!stored) return;
        const { version, ...next } = applyLocationPatch(withoutId(stored), patch);
        const result = await this.#locations.replaceOne({ _id: slug, version }, { ...next, version: version + 1 });
        if (result.matchedCount === 1) return;
        await sleep(Math.random() * 5 * attempt);
      }
      throw new Error(`updateLocation ${slug}: gave up after ${MAX_WRITE_ATTEMPTS} concurrent-write conflicts`);
    });
  }

  async cityVersion(slug: string): Promise<number> {
    const doc = await this.#locations.findOne({ _id: slug }, { projection: { _id: 0, version: 1 } });
    return typeof doc?.version === 'number' ? doc.version : 0;
  }

  async upsertMovie(input: MovieInput, now: Date): Promise<void> {
    await this.#alone(`movie:${input.city}/${input.key}`, async () => {
      const id = `${input.city}/${input.key}`;
      for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
        const stored = await this.#movies.findOne({ _id: id });
        const existing = stored && stored.expiresAt > now ? fromMovieDoc(stored) : null;
        const movie = mergeMovie(existing, input, now);
        const doc: MovieDoc = { ...movie, _id: id, rev: (stored?.rev ?? 0) + 1, expiresAt: new Date(movie.expiresAt) };
        if (stored) {
          const { _id, ...replacement } = doc;
          const result = await this.#movies.replaceOne({ _id: id, rev: stored.rev }, replacement);
          if (result.matchedCount === 1) return this.#bumpVersion(input.city);
        } else {
          try {
            await this.#movies.insertOne(doc);
            return this.#bumpVersion(input.city);
          } catch (error) {
            if (!hasCode(error, DUPLICATE_KEY)) throw error;
          }
        }
        // Another writer got there first: read its version and merge again.
        await sleep(Math.random() * 5 * attempt);
      }
      throw new Error(`upsertMovie ${id}: gave up after ${MAX_WRITE_ATTEMPTS} concurrent-write conflicts`);
    });
  }

  async moviesFor(city: string, range: DayRange, now: Date): Promise<Movie[]> {
    // `$in` over the range's days (at most HORIZON_DAYS of them from the routes) rather than `$elemMatch` with
    // `$gte`/`$lte`: both use the multikey index on { city, days } on MongoDB, and FerretDB 1.24 lacks `$elemMatch`.
    const days = dayRange(range.from, Math.max(0, daysBetween(range.from, range.to) + 1));
    const filter: Filter<MovieDoc> = { city, expiresAt: { $gt: now }, days: { $in: days } };
    const movies: Movie[] = [];
    for (const doc of await this.#movies.find(filter).sort({ key: 1 }).toArray()) {
      const movie = filterMovieToRange(fromMovieDoc(doc), range);
      if (movie) movies.push(movie);
    }
    return movies;
  }

  async addToCounter(name: string, amount: number): Promise<number> {
    return this.#alone(`stat:${name}`, () => this.#increment(name, amount));
  }

  async #increment(name: string, amount: number): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const doc = await this.#stats.findOneAndUpdate(
          { _id: name },
          { $inc: { value: amount } },
          { upsert: true, returnDocument: 'after' },
        );
        return doc?.value ?? 0;
      } catch (error) {
        // Two first-ever increments may race to insert the counter; the loser simply increments it.
        if (!hasCode(error, DUPLICATE_KEY) || attempt >= 3) throw error;
      }
    }
  }

  async counter(name: string): Promise<number> {
    return (await this.#stats.findOne({ _id: name }))?.value ?? 0;
  }

  async cityDays(city: string): Promise<CityDay[]> {
    const docs = await this.#cityDays.find({ city }).sort({ day: 1 }).toArray();
    return docs.map(({ _id, city: _city, ...record }) => record);
  }

  async putCityDay(city: string, record: CityDay): Promise<void> {
    const _id = `${city}|${record.day}`;
    await this.#cityDays.replaceOne({ _id }, { city, ...record }, { upsert: true });
  }

  async schedulePages(city: string): Promise<SchedulePage[]> {
    const docs = await this.#pages.find({ city }).sort({ theaterKey: 1 }).toArray();
    return docs.map(({ _id, city: _city, ...page }) => page);
  }

  async putSchedulePage(city: string, page: SchedulePage): Promise<void> {
    const _id = `${city}|${page.theaterKey}`;
    await this.#pages.replaceOne({ _id }, { city, ...page }, { upsert: true });
  }

  async recordScrapeRun(run: ScrapeRun): Promise<void> {
    await this.#runs.replaceOne({ _id: run.id }, { ...run }, { upsert: true });
  }

  async scrapeRuns(city: string, limit: number): Promise<ScrapeRun[]> {
    if (limit <= 0) return [];
    const docs = await this.#runs.find({ city }).sort({ startedAt: -1, _id: -1 }).limit(limit).toArray();
    return docs.map(withoutId);
  }

  async scrapeRunsSince(since: Date): Promise<ScrapeRun[]> {
    const docs = await this.#runs
      .find({ startedAt: { $gte: since.toISOString() } })
      .sort({ startedAt: 1, _id: 1 })
      .toArray();
    return docs.map(withoutId);
  }

  async acquireLock(name: string, owner: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.#alone(`lock:${name}`, () => this.#takeLock(name, owner, ttlMs, now));
  }

  async #takeLock(name: string, owner: string, ttlMs: number, now: Date): Promise<boolean> {
    try {
      // Matches when free-by-expiry or ours; otherwise the upsert's insert collides on _id: held by someone else.
      await this.#locks.updateOne(
        { _id: name, $or: [{ expiresAt: { $lte: now } }, { owner }] },
        { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs) } },
        { upsert: true },
      );
      return true;
    } catch (error) {
      if (hasCode(error, DUPLICATE_KEY)) return false;
      throw error;
    }
  }

  async releaseLock(name: string, owner: string): Promise<void> {
    await this.#locks.deleteOne({ _id: name, owner });
  }

  async purgeExpired(now: Date): Promise<number> {
    const expired = { expiresAt: { $lte: now } };
    const cities = await this.#movies.distinct('city', expired);
    const { deletedCount } = await this.#movies.deleteMany(expired);
    if (deletedCount > 0) for (const city of cities) await this.#bumpVersion(city);
    return deletedCount;
  }

  async #bumpVersion(city: string): Promise<void> {
    await this.#alone(`location:${city}`, () => this.#locations.updateOne({ _id: city }, { $inc: { version: 1 } }));
  }

  /**
   * Runs one document's read-modify-write alone. On MongoDB it just runs `work`: there `$inc` and the
   * revision-checked replaces are atomic by themselves. FerretDB 1.24 applies every update as "read, then write
   * by _id" without checking what it read, so concurrent `$inc`s and revision checks lose writes (20 × 250
   * tokens counted 1250); only an insert of an existing _id fails reliably there. So on FerretDB a mutex
   * document in `locks`: inserted to take it, deleted to give it back, broken once expired if its holder died.
   */
  async #alone<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (this.#server === 'mongodb') return work();
    const _id = `mutex:${key}`;
    const owner = randomUUID();
    const deadline = Date.now() + MUTEX_WAIT_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#locks.insertOne({ _id, owner, expiresAt: new Date(Date.now() + MUTEX_HOLD_MS) });
        break;
      } catch (error) {
        if (!hasCode(error, DUPLICATE_KEY)) throw error;
      }
      const held = await this.#locks.findOne({ _id });
      if (held && held.expiresAt.getTime() <= Date.now()) {
        this.#notice(
          'warn',
          `${key}: breaking a write mutex held for over ${MUTEX_HOLD_MS / 1000} s by a process that may have died`,
        );
        await this.#locks.deleteOne({ _id, owner: held.owner });
      }
      if (Date.now() > deadline)
        throw new Error(`${key}: still being written by another process after ${MUTEX_WAIT_MS / 1000} s`);
      await sleep(1 + Math.random() * Math.min(2 * attempt, 20));
    }
    try {
      return await work();
    } finally {
      await this.#locks.deleteOne({ _id, owner });
    }
  }
}

function fromMovieDoc(doc: MovieDoc): Movie {
  const { _id, rev: _rev, expiresAt, ...movie } = doc;
  return { ...movie, expiresAt: expiresAt.toISOString() };
}

function withoutId<T extends { _id: unknown }>(doc: T): Omit<T, '_id'> {
  const { _id, ...rest } = doc;
  return rest;
}

function sameKey(key: Record<string, unknown>): string {
  return JSON.stringify(Object.entries(key));
}

function hasCode(error: unknown, code: number): boolean {
  return error instanceof MongoServerError && error.code === code;
}

/** The database named in the URI's path (`mongodb://host/NAME?…`), when there is one. */
function databaseInUri(uri: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}
