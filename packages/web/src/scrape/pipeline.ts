import { randomUUID } from 'node:crypto';
import type { Day, Location, MovieInput, MovieTheater, NowPlaying, ScrapeRun, Theater } from '../domain/model.ts';
import type { Granularity } from '../domain/planner.ts';
import type { FetchOutcome, ShowtimeSource } from '../domain/source.ts';
import { todayIn } from '../domain/time.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { MOVIES_SCHEMA, SHOWTIMES_SCHEMA, THEATERS_SCHEMA } from './answers.ts';
import type { TokenBudget } from './budget.ts';
import { DayLedger } from './day-ledger.ts';
import { type AskRequest, type GeminiClient, GeminiError } from './gemini.ts';
import { addCallUsage, type CallUsage, costUsd, noUsage } from './models.ts';
import {
  type AnswerKey,
  groupByFilm,
  normalizeMovies,
  normalizeShowtimes,
  normalizeTheaters,
  parseAnswer,
  type ScrapedShowtime,
} from './normalize.ts';
import { runPool } from './pool.ts';
import {
  batchShowtimesPrompt,
  cinemaShowtimesPrompt,
  moviesPrompt,
  showtimesPrompt,
  theatersPrompt,
} from './prompts.ts';

const WEEK_MS = 7 * 86_400_000;
const MAX_FAILURES_IN_A_ROW = 3;
const RESUME_WITHIN_MS = 12 * 3_600_000;

export interface PipelineOptions {
  store: Store;
  client: GeminiClient;
  budget: TokenBudget;
  clock: () => Date;
  log: Logger;
  /** Step-3 queries in flight at once. */
  concurrency: number;
  granularity: Granularity;
  /** Ask refreshes of days already fetched in full on the Flex tier (half price, minutes of latency). */
  flexRefreshes?: boolean;
  /** A fetch resumed within this long after the last one began keeps that one's answers; default 12 h. */
  resumeWithinMs?: number;
}

/** Why a run stopped asking before it was done. */
class StopAsking extends Error {}

/** What one run spent and met, recorded in `scrape_runs`. */
class RunLog {
  queries = 0;
  dropped = 0;
  readonly usage: CallUsage = noUsage();
  readonly errors: string[] = [];

  spend(usage: CallUsage, calls: number): void {
    this.queries += calls;
    addCallUsage(this.usage, usage);
  }

  error(message: string): void {
    if (this.errors.length < 20 && !this.errors.includes(message)) this.errors.push(message);
  }
}

/**
 * One step-3 question: one film (any number of days), several films on one day (a short refresh), or
 * everything one cinema shows on some days.
 */
interface ShowtimesTask {
  movies: NowPlaying[];
  days: Day[];
  theater?: Theater;
}

/** What a task answers for each of its days: films, or its cinema (the ledger's units). */
function unitsOf(task: ShowtimesTask): string[] {
  return task.theater ? [task.theater.key] : task.movies.map((movie) => movie.key);
}

const byCinema = (granularity: Granularity) => granularity === 'cinema-day' || granularity === 'cinema-week';

/** `auto` asks per film per day unless at most this many days are asked (the daily refresh: the new day, today, tomorrow). */
const AUTO_BATCH_MAX_DAYS = 3;
const FILMS_PER_BATCH = 20;

/** Live showtimes from Gemini, step by step: cinemas → films → showtimes per film and day. */
export function geminiSource(options: PipelineOptions): ShowtimeSource {
  return {
    kind: 'gemini',
    runsInline: false,
    fetchDays: (location, days, onProgress) => new Scrape(options, location, days, onProgress).run(),
  };
}

class Scrape {
  readonly #o: PipelineOptions;
  readonly #location: Location;
  readonly #days: Day[];
  readonly #onProgress: (done: number, total: number) => void;
  readonly #log = new RunLog();
  #stopReason: string | null = null;
  /** Questions in a row that failed even after the client's retries; a few mean Gemini is down. */
  #failuresInARow = 0;
  #done = 0;
  #total = 0;
  #totalKnown = false;
  /** Days asked again that had been fetched in full before: refreshes, which nobody waits for. */
  #refreshing = new Set<Day>();
  readonly #runId = randomUUID();
  #startedAt = new Date(0);
  /** The last save of the running run; the next one waits for it, so saves land in order. */
  #saving: Promise<void> = Promise.resolve();

  constructor(options: PipelineOptions, location: Location, days: Day[], onProgress?: (d: number, t: number) => void) {
    this.#o = options;
    this.#location = location;
    this.#days = days;
    this.#onProgress = onProgress ?? (() => undefined);
  }

  async run(): Promise<FetchOutcome> {
    const startedAt = this.#o.clock();
    this.#startedAt = startedAt;
    const covered: Day[] = [];
    try {
      await this.#saveRun('running');
      const now = startedAt.getTime();
      const theatersStale = isStale(this.#location.theatersFetchedAt, now, WEEK_MS, this.#location.theaters.length);
      const moviesStale = this.#moviesStale(startedAt);
      this.#total = (theatersStale ? 1 : 0) + (moviesStale ? 1 : 0);
      const theaters = theatersStale ? await this.#theaters() : this.#location.theaters;
      if (theaters.length === 0) throw new Error('no cinemas were found for the city');
      const movies = moviesStale ? await this.#movies(theaters) : (this.#location.nowPlaying ?? []);
      if (movies.length === 0) throw new Error('no films were found playing in the city');
      covered.push(...(await this.#showtimes(theaters, movies)));
    } catch (error) {
      this.#log.error(messageOf(error));
    }
    const outcome: FetchOutcome =
      covered.length === this.#days.length && this.#log.errors.length === 0
        ? 'ok'
        : covered.length > 0
          ? 'partial'
          : 'failed';
    await this.#finish(outcome);
    return outcome;
  }

  /** Films are asked again once per local day: what plays changes from day to day, not within one. */
  #moviesStale(now: Date): boolean {
    const { moviesFetchedAt, nowPlaying, timezone } = this.#location;
    if (!moviesFetchedAt || !nowPlaying?.length) return true;
    return todayIn(timezone, new Date(moviesFetchedAt)) !== todayIn(timezone, now);
  }

  async #theaters(): Promise<Theater[]> {
    const items = await this.#askItems('theaters', {
      step: 'theaters',
      prompt: theatersPrompt(this.#location),
      responseSchema: THEATERS_SCHEMA,
    });
    const { items: theaters, dropped } = normalizeTheaters(items?.items ?? [], this.#location.theaters);
    this.#log.dropped += dropped;
    this.#progress();
    if (theaters.length === 0) return this.#location.theaters;
    await this.#o.store.updateLocation(this.#location.slug, {
      theaters,
      theatersFetchedAt: this.#o.clock().toISOString(),
    });
    return theaters;
  }

  async #movies(theaters: Theater[]): Promise<NowPlaying[]> {
    const known = this.#location.nowPlaying ?? [];
    const items = await this.#askItems('movies', {
      step: 'movies',
      prompt: moviesPrompt(this.#location, theaters, known),
      responseSchema: MOVIES_SCHEMA,
    });
    const { items: found, dropped } = normalizeMovies(items?.items ?? [], known);
    this.#log.dropped += dropped;
    this.#progress();
    if (found.length === 0) return known;
    const byKey = new Map(known.map((movie) => [movie.key, movie]));
    const movies = found.map((movie) => completedFrom(movie, byKey.get(movie.key)));
    await this.#o.store.updateLocation(this.#location.slug, {
      nowPlaying: movies,
      moviesFetchedAt: this.#o.clock().toISOString(),
    });
    return movies;
  }

  /** Step 3; returns the days whose every film was answered, by this fetch or the one it resumes. */
  async #showtimes(theaters: Theater[], movies: NowPlaying[]): Promise<Day[]> {
    const ledger = new DayLedger({
      store: this.#o.store,
      city: this.#location.slug,
      days: this.#days,
      units: byCinema(this.#o.granularity) ? theaters.map((theater) => theater.key) : movies.map((movie) => movie.key),
      stored: await this.#o.store.cityDays(this.#location.slug),
      now: this.#o.clock(),
      resumeWithinMs: this.#o.resumeWithinMs ?? RESUME_WITHIN_MS,
    });
    this.#refreshing = new Set(ledger.refreshes());
    const tasks = unanswered(showtimesTasks(this.#o.granularity, movies, this.#days, theaters), ledger);
    this.#total += tasks.length;
    this.#totalKnown = true;
    this.#progress(0);
    const covered = ledger.completeAlready();
    if (covered.length > 0) await this.#o.store.updateLocation(this.#location.slug, { addCoveredDays: covered });

    await runPool(tasks, this.#o.concurrency, async (task) => {
      const perDay = await this.#showtimesOf(task, theaters).catch((error: unknown) => {
        this.#log.error(messageOf(error));
        return null;
      });
      this.#progress();
      if (!perDay) return;
      const finished: Day[] = [];
      const units = unitsOf(task);
      for (const day of task.days) {
        if (await ledger.record(day, units, perDay.get(day) ?? 0, this.#o.clock())) finished.push(day);
      }
      if (finished.length > 0) {
        covered.push(...finished);
        await this.#o.store.updateLocation(this.#location.slug, { addCoveredDays: finished });
      }
    });
    return covered.sort();
  }

  /** The question of one task: by film with Google Search, or by cinema reading its schedule page. */
  #showtimesRequest(task: ShowtimesTask, theaters: Theater[]): AskRequest {
    const [only] = task.movies;
    const flex = this.#o.flexRefreshes === true && task.days.every((day) => this.#refreshing.has(day));
    const base = {
      step: 'showtimes' as const,
      responseSchema: SHOWTIMES_SCHEMA,
      ...(flex ? { serviceTier: 'flex' as const } : {}),
    };
    if (task.theater) {
      const page = task.theater.scheduleUrl ?? task.theater.url;
      return {
        ...base,
        prompt: cinemaShowtimesPrompt(this.#location, task.theater, task.movies, task.days),
        search: !page,
        urlContext: Boolean(page),
      };
    }
    return {
      ...base,
      prompt:
        only && task.movies.length === 1
          ? showtimesPrompt(this.#location, theaters, only, task.days)
          : batchShowtimesPrompt(this.#location, theaters, task.movies, task.days),
      // The listed schedule pages are where showtimes are: let the model read them, not only search.
      urlContext: theaters.some((theater) => theater.url),
    };
  }

  /** Asks for one task's showtimes and stores them at once; the showtimes found per day, null when no usable answer came. */
  async #showtimesOf(task: ShowtimesTask, theaters: Theater[]): Promise<Map<Day, number> | null> {
    const [only] = task.movies;
    const request = this.#showtimesRequest(task, theaters);
    const answer = await this.#askItems('showtimes', request);
    if (answer === null) return null;
    const { theater } = task;
    if (
      theater &&
      request.urlContext &&
      answer.usage.urlRetrievals > 0 &&
      answer.usage.urlFailures === answer.usage.urlRetrievals
    ) {
      // An empty answer from an unread page says nothing about the day: the day stays unanswered.
      this.#log.error(`could not read the schedule page of ${theater.name}`);
      return null;
    }
    // A question about one cinema: its answers are that cinema's, whatever name they give it.
    const items = theater
      ? answer.items.map((item) => (item && typeof item === 'object' ? { ...item, theater: theater.name } : item))
      : answer.items;
    const perDay = new Map<Day, number>();
    const byFilm =
      only && task.movies.length === 1 && !theater
        ? { groups: new Map([[only, items]]), dropped: 0 }
        : groupByFilm(items, task.movies);
    this.#log.dropped += byFilm.dropped;
    for (const [movie, movieItems] of byFilm.groups) {
      const { items: showtimes, dropped } = normalizeShowtimes(movieItems, {
        days: task.days,
        timezone: this.#location.timezone,
        theaters: theater ? [theater] : theaters,
      });
      this.#log.dropped += dropped;
      for (const { showtime } of showtimes) {
        const day = showtime.startsAt.slice(0, 10);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
      if (showtimes.length > 0)
        await this.#o.store.upsertMovie(movieInput(this.#location.slug, movie, showtimes), this.#o.clock());
    }
    return perDay;
  }

  /** One question; a malformed answer is asked once more, then counted as dropped (null). */
  async #askItems(key: AnswerKey, request: AskRequest): Promise<{ items: unknown[]; usage: CallUsage } | null> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const result = await this.#ask(request);
      const items = parseAnswer(result.text, key);
      if (items !== null) return { items, usage: result.usage };
      this.#log.dropped++;
    }
    this.#log.error(`unusable ${key} answer`);
    return null;
  }

  async #ask(request: AskRequest): Promise<{ text: string; usage: CallUsage }> {
    if (this.#stopReason) throw new StopAsking(this.#stopReason);
    if (await this.#o.budget.exhausted()) this.#stop('the daily Gemini budget is spent');
    try {
      const result = await this.#o.client.ask(request);
      this.#failuresInARow = 0;
      await this.#spend(result.usage, result.calls);
      return { text: result.text, usage: result.usage };
    } catch (error) {
      if (!(error instanceof GeminiError)) throw error;
      await this.#spend(error.usage, error.calls);
      if (error.kind === 'daily-quota') this.#stopReason ??= 'the Gemini daily quota is used up';
      if (error.kind === 'auth') this.#stopReason ??= 'Gemini refused the API key';
      if (++this.#failuresInARow >= MAX_FAILURES_IN_A_ROW) this.#stopReason ??= 'Gemini kept failing';
      throw error;
    }
  }

  async #spend(usage: CallUsage, calls: number): Promise<void> {
    this.#log.spend(usage, calls);
    const usd = costUsd(this.#o.client.model, usage) ?? 0;
    if (!(await this.#o.budget.spend(usage.tokens, usd))) this.#stopReason ??= 'the daily Gemini budget is spent';
    await this.#saveRun('running');
  }

  #stop(reason: string): never {
    this.#stopReason ??= reason;
    throw new StopAsking(this.#stopReason);
  }

  /**
   * Progress counts questions, one unit throughout: nothing is reported until the number of showtime questions
   * is known, so the total never changes mid-fetch.
   */
  #progress(step = 1): void {
    this.#done += step;
    if (this.#totalKnown) this.#onProgress(Math.min(this.#done, this.#total), this.#total);
  }

  /** The run as `scrape_runs` keeps it: written when it starts and after every call, so a killed run still counts. */
  #runRecord(status: ScrapeRun['status']): ScrapeRun {
    const now = this.#o.clock();
    const { usage } = this.#log;
    const cost = costUsd(this.#o.client.model, usage);
    return {
      id: this.#runId,
      city: this.#location.slug,
      startedAt: this.#startedAt.toISOString(),
      ...(status === 'running' ? {} : { finishedAt: now.toISOString() }),
      requestedDays: this.#days,
      queries: this.#log.queries,
      tokens: { ...usage.tokens },
      model: this.#o.client.model.id,
      searchQueries: usage.searchQueries,
      groundedPrompts: usage.groundedPrompts,
      urlRetrievals: usage.urlRetrievals,
      urlFailures: usage.urlFailures,
      ...(cost !== undefined ? { costUsd: cost } : {}),
      dropped: this.#log.dropped,
      errors: [...this.#log.errors],
      durationMs: now.getTime() - this.#startedAt.getTime(),
      status,
    };
  }

  #saveRun(status: ScrapeRun['status']): Promise<void> {
    const run = this.#runRecord(status);
    this.#saving = this.#saving.then(() =>
      this.#o.store.recordScrapeRun(run).catch((error: unknown) => {
        this.#o.log.warn('could not record the scrape run', { city: run.city, error: messageOf(error) });
      }),
    );
    return this.#saving;
  }

  async #finish(outcome: FetchOutcome): Promise<void> {
    await this.#saveRun(outcome);
    const run = this.#runRecord(outcome);
    const level = outcome === 'ok' ? 'info' : 'warn';
    this.#o.log[level](`scrape of ${run.city} ${outcome}`, {
      days: run.requestedDays.length,
      queries: run.queries,
      searchQueries: run.searchQueries,
      costUsd: run.costUsd,
      dropped: run.dropped,
      errors: run.errors,
      durationMs: run.durationMs,
    });
  }
}

export function showtimesTasks(
  granularity: Granularity,
  movies: NowPlaying[],
  days: Day[],
  theaters: Theater[] = [],
): ShowtimesTask[] {
  if (granularity === 'cinema-week') return theaters.map((theater) => ({ movies, days, theater }));
  if (granularity === 'cinema-day') {
    return days.flatMap((day) => theaters.map((theater) => ({ movies, days: [day], theater })));
  }
  if (granularity === 'movie') return movies.map((movie) => ({ movies: [movie], days }));
  if (granularity === 'auto' && days.length <= AUTO_BATCH_MAX_DAYS) {
    return days.flatMap((day) =>
      Array.from({ length: Math.ceil(movies.length / FILMS_PER_BATCH) }, (_, index) => ({
        movies: movies.slice(index * FILMS_PER_BATCH, (index + 1) * FILMS_PER_BATCH),
        days: [day],
      })),
    );
  }
  return days.flatMap((day) => movies.map((movie) => ({ movies: [movie], days: [day] })));
}

/** The tasks left once what the ledger holds as answered is taken out: only missing films and days are asked. */
function unanswered(tasks: ShowtimesTask[], ledger: DayLedger): ShowtimesTask[] {
  return tasks.flatMap((task) => {
    const { theater } = task;
    if (theater) {
      const days = task.days.filter((day) => !ledger.answered(day, theater.key));
      return days.length > 0 ? [{ ...task, days }] : [];
    }
    const open = (day: Day, movie: NowPlaying) => !ledger.answered(day, movie.key);
    const days = task.days.filter((day) => task.movies.some((movie) => open(day, movie)));
    const movies = task.movies.filter((movie) => days.some((day) => open(day, movie)));
    return days.length > 0 && movies.length > 0 ? [{ movies, days }] : [];
  });
}

function isStale(fetchedAt: string | undefined, now: number, maxAgeMs: number, count: number): boolean {
  return count === 0 || !fetchedAt || now - Date.parse(fetchedAt) >= maxAgeMs;
}

/** A film as re-listed (maybe by title only), completed with what was known of it. */
function completedFrom(movie: NowPlaying, known: NowPlaying | undefined): NowPlaying {
  if (!known) return movie;
  return {
    ...known,
    ...movie,
    titles: { ...known.titles, ...movie.titles },
    genres: movie.genres.length > 0 ? movie.genres : known.genres,
  };
}

function movieInput(city: string, movie: NowPlaying, showtimes: ScrapedShowtime[]): MovieInput {
  const theaters = new Map<string, MovieTheater>();
  for (const { theater, showtime } of showtimes) {
    const entry = theaters.get(theater.key) ?? { theaterKey: theater.key, name: theater.name, showtimes: [] };
    entry.showtimes.push(showtime);
    theaters.set(theater.key, entry);
  }
  return { city, ...movie, theaters: [...theaters.values()] };
}

function messageOf(error: unknown): string {
  if (error instanceof GeminiError) return `Gemini ${error.kind}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
