import { randomUUID } from 'node:crypto';
import type {
  Day,
  Location,
  MovieInput,
  MovieTheater,
  NowPlaying,
  PageReadPath,
  SchedulePage,
  ScrapeRun,
  Theater,
} from '../domain/model.ts';
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
  normalizeName,
  normalizeShowtimes,
  normalizeTheaters,
  parseAnswer,
  type ScrapedShowtime,
} from './normalize.ts';
import {
  type PageVerdict,
  pageDays,
  pageRequest,
  pageUrlOf,
  readSchedulePage,
  settlePage,
  showingsOfGroups,
} from './page-reading.ts';
import { runPool } from './pool.ts';
import {
  batchShowtimesPrompt,
  cinemaShowtimesPrompt,
  moviesPrompt,
  showtimesPrompt,
  theatersPrompt,
} from './prompts.ts';
import type { PageFetcher } from './web/fetcher.ts';

const WEEK_MS = 7 * 86_400_000;
const MAX_FAILURES_IN_A_ROW = 3;
const RESUME_WITHIN_MS = 12 * 3_600_000;

export interface PipelineOptions {
  store: Store;
  client: GeminiClient;
  /** Reads the text of schedule pages (GEMINI_PAGE_MODEL); `client` when absent. */
  pageClient?: GeminiClient;
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
  /** Reads the cinemas' own schedule pages first when asking by cinema (SCHEDULE_PAGES); absent: the model reads them. */
  pages?: PageFetcher;
}

/** Why a run stopped asking before it was done. */
class StopAsking extends Error {}

/** What one run spent and met, recorded in `scrape_runs`. */
class RunLog {
  queries = 0;
  dropped = 0;
  readonly usage: CallUsage = noUsage();
  readonly errors: string[] = [];
  /** Cinema schedule pages read, by the path each took. */
  readonly pages: Partial<Record<PageReadPath, number>> = {};

  /** At each call's model's list price; undefined once a call's model has no known price. */
  costUsd: number | undefined = 0;

  spend(usage: CallUsage, calls: number, usd: number | undefined): void {
    this.queries += calls;
    addCallUsage(this.usage, usage);
    this.costUsd = this.costUsd === undefined || usd === undefined ? undefined : this.costUsd + usd;
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
  /** Cinemas whose robots.txt keeps us off their page: the model searches for them instead of reading it. */
  readonly #searchOnly = new Set<string>();
  /** The last read of each cinema's page before this fetch read it again. */
  readonly #previousPages = new Map<string, SchedulePage | undefined>();

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
      const known = this.#location.nowPlaying ?? [];
      // Pages first: a page read from its own HTML names its films, and the films question waits for a cinema
      // that is left to the model.
      const pagesFirst = moviesStale && known.length > 0 && this.#readsPages();
      const movies = moviesStale && !pagesFirst ? await this.#movies(theaters) : known;
      if (movies.length === 0) throw new Error('no films were found playing in the city');
      const refreshMovies = pagesFirst ? () => this.#movies(theaters) : undefined;
      covered.push(...(await this.#showtimes(theaters, movies, refreshMovies)));
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

  #readsPages(): boolean {
    return this.#o.pages !== undefined && byCinema(this.#o.granularity);
  }

  /**
   * Step 3; returns the days whose every film was answered, by this fetch or the one it resumes. `refreshMovies`
   * (the films question, when due) is asked once the pages are read, unless every one of them was read
   * from its own HTML.
   */
  async #showtimes(
    theaters: Theater[],
    knownMovies: NowPlaying[],
    refreshMovies?: () => Promise<NowPlaying[]>,
  ): Promise<Day[]> {
    let movies = knownMovies;
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
    let tasks = unanswered(showtimesTasks(this.#o.granularity, movies, this.#days, theaters), ledger);
    const covered = ledger.completeAlready();
    if (covered.length > 0) await this.#o.store.updateLocation(this.#location.slug, { addCoveredDays: covered });
    const record = async (day: Day, units: string[], showtimes: number) => {
      if (!(await ledger.record(day, units, showtimes, this.#o.clock()))) return;
      covered.push(day);
      await this.#o.store.updateLocation(this.#location.slug, { addCoveredDays: [day] });
    };

    const { pages } = this.#o;
    const verdicts = pages && this.#readsPages() ? await this.#readPages(pages, tasks) : [];
    if (refreshMovies) {
      // Pages read from their own HTML name their films themselves; the films question is for the cinemas the
      // model has to read, which it asks about by the films of the city.
      const everyPageRead = verdicts.length === theaters.length && verdicts.every((v) => v.verdict.kind !== 'model');
      if (everyPageRead) this.#progress();
      else {
        movies = await refreshMovies();
        tasks = tasks.map((task) => (task.theater ? { ...task, movies } : task));
      }
    }
    const handled = new Set(verdicts.filter((v) => v.verdict.kind !== 'model').map((v) => v.theater.key));
    const byTheater = (key: string) => tasks.filter((task) => task.theater?.key === key);
    const askModel = async (task: ShowtimesTask) => {
      const perDay = await this.#showtimesOf(task, theaters).catch((error: unknown) => {
        this.#log.error(messageOf(error));
        return null;
      });
      if (perDay) for (const day of task.days) await record(day, unitsOf(task), perDay.get(day) ?? 0);
    };
    const pageTasks = new Map([...handled].map((key) => [key, byTheater(key)]));
    tasks = tasks.filter((task) => !task.theater || !handled.has(task.theater.key));
    const asks = verdicts.filter((v) => v.verdict.kind === 'ask');
    this.#total += verdicts.length + asks.length + tasks.length;
    this.#totalKnown = true;
    this.#progress(0);

    /** The days a page read covers are done; the model reads the cinema for the rest (all of them when flagged). */
    const settle = async (theater: Theater, days: Day[], perDay: Map<Day, number>) => {
      for (const day of days) if (perDay.has(day)) await record(day, [theater.key], perDay.get(day) ?? 0);
      for (const task of pageTasks.get(theater.key) ?? []) {
        const rest = task.days.filter((day) => !perDay.has(day));
        if (rest.length > 0) await askModel({ ...task, days: rest });
      }
    };
    const jobs: (() => Promise<void>)[] = verdicts.flatMap(({ theater, verdict, days }) => {
      if (verdict.kind === 'unchanged') {
        return [
          async () => {
            await this.#savePage(verdict.page);
            await settle(theater, days, new Map(Object.entries(verdict.page.showtimes)));
          },
        ];
      }
      if (verdict.kind !== 'items' && verdict.kind !== 'ask') return [];
      return [
        async () => {
          const perDay = await this.#takePageShowings(theater, verdict, movies).catch((error: unknown) => {
            this.#log.error(messageOf(error));
            return null;
          });
          if (verdict.kind === 'ask') this.#progress();
          // A page that changed shape is read by the model, as if it had no schedule in its HTML.
          if (perDay) await settle(theater, days, perDay === 'flagged' ? new Map() : perDay);
        },
      ];
    });
    jobs.push(
      ...tasks.map((task) => async () => {
        await askModel(task);
        this.#progress();
      }),
    );
    await runPool(jobs, this.#o.concurrency, (job) => job());
    return covered.sort();
  }

  /** Each cinema's schedule page once, for the days still open for it; what to do next, by cinema. */
  async #readPages(
    pages: PageFetcher,
    tasks: readonly ShowtimesTask[],
  ): Promise<{ theater: Theater; verdict: PageVerdict; days: Day[] }[]> {
    const openDays = new Map<string, { theater: Theater; days: Set<Day> }>();
    for (const { theater, days } of tasks) {
      if (!theater || !pageUrlOf(theater)) continue;
      const entry = openDays.get(theater.key) ?? { theater, days: new Set<Day>() };
      for (const day of days) entry.days.add(day);
      openDays.set(theater.key, entry);
    }
    const previous = new Map((await this.#o.store.schedulePages(this.#location.slug)).map((p) => [p.theaterKey, p]));
    const read: { theater: Theater; verdict: PageVerdict; days: Day[] }[] = [];
    await runPool([...openDays.values()], this.#o.concurrency, async ({ theater, days }) => {
      const context = { location: this.#location, theater, previous: previous.get(theater.key), now: this.#o.clock() };
      const verdict = await readSchedulePage(pages, context);
      this.#previousPages.set(theater.key, context.previous);
      this.#done++;
      if (verdict.kind === 'model') {
        await this.#savePage(verdict.page);
        if (!verdict.mayReadPage) this.#searchOnly.add(theater.key);
      }
      if (verdict.kind !== 'items' && verdict.kind !== 'ask') this.#countPage(verdict.page.path);
      read.push({ theater, verdict, days: [...days].sort() });
    });
    return read;
  }

  /** Showings read from a page (or its text, asked of the model now), stored unless the page looks broken. */
  async #takePageShowings(
    theater: Theater,
    verdict: Extract<PageVerdict, { kind: 'items' | 'ask' }>,
    movies: readonly NowPlaying[],
  ): Promise<Map<Day, number> | 'flagged' | null> {
    const request =
      verdict.kind === 'ask' ? pageRequest(this.#location, theater, movies, verdict.text, this.#o.clock()) : null;
    const answer = request ? await this.#askItems('showtimes', request, this.#o.pageClient ?? this.#o.client) : null;
    if (verdict.kind === 'ask' && answer === null) return null;
    const items = (
      answer && verdict.kind === 'ask'
        ? showingsOfGroups(answer.items, verdict.baseUrl)
        : verdict.kind === 'items'
          ? verdict.items
          : []
    ).map((item) => (item && typeof item === 'object' ? { ...item, theater: theater.name } : item));
    const films = filmsWith(movies, items, verdict.kind === 'items' ? verdict.filmItems : []);
    const days = pageDays(this.#location, this.#o.clock());
    const byFilm = groupByFilm(items, films);
    this.#log.dropped += byFilm.dropped;
    const found = new Map<NowPlaying, ScrapedShowtime[]>();
    for (const [movie, movieItems] of byFilm.groups) {
      const normalized = normalizeShowtimes(movieItems, {
        days,
        timezone: this.#location.timezone,
        theaters: [theater],
      });
      this.#log.dropped += normalized.dropped;
      if (normalized.items.length > 0) found.set(movie, normalized.items);
    }
    const startsAt = [...found.values()].flat().map(({ showtime }) => showtime.startsAt);
    const cut = verdict.kind === 'ask' && verdict.cut;
    const page = settlePage(verdict.page, this.#previousPages.get(theater.key), days, startsAt, cut);
    await this.#savePage(page);
    this.#countPage(page.path);
    if (page.flagged) {
      this.#log.error(`${theater.name}: ${page.flagged}`);
      return 'flagged';
    }
    for (const [movie, showtimes] of found) {
      await this.#o.store.upsertMovie(movieInput(this.#location.slug, movie, showtimes), this.#o.clock());
    }
    return new Map(Object.entries(page.showtimes));
  }

  async #savePage(page: SchedulePage): Promise<void> {
    await this.#o.store.putSchedulePage(this.#location.slug, page);
  }

  #countPage(path: PageReadPath): void {
    this.#log.pages[path] = (this.#log.pages[path] ?? 0) + 1;
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
      const theater = this.#searchOnly.has(task.theater.key) ? withoutPage(task.theater) : task.theater;
      const page = pageUrlOf(theater);
      return {
        ...base,
        prompt: cinemaShowtimesPrompt(this.#location, theater, task.movies, task.days),
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
      urlContext: theaters.some((theater) => theater.url && !this.#searchOnly.has(theater.key)),
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
      // An empty answer from an unread page says nothing about the day: the last resort is a search per film.
      this.#log.error(`could not read the schedule page of ${theater.name}; searched per film instead`);
      return this.#searchPerFilm(theater, task);
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

  /** The seed's question for one cinema: a grounded search per film and day; null when none was answered. */
  async #searchPerFilm(theater: Theater, task: ShowtimesTask): Promise<Map<Day, number> | null> {
    const unlinked = withoutPage(theater);
    const perDay = new Map<Day, number>();
    let answered = 0;
    for (const movie of task.movies) {
      for (const day of task.days) {
        const found = await this.#showtimesOf({ movies: [movie], days: [day] }, [unlinked]).catch((error: unknown) => {
          this.#log.error(messageOf(error));
          return null;
        });
        if (!found) continue;
        answered++;
        for (const [foundDay, count] of found) perDay.set(foundDay, (perDay.get(foundDay) ?? 0) + count);
      }
    }
    return answered === task.movies.length * task.days.length ? perDay : null;
  }

  /** One question; a malformed answer is asked once more, then counted as dropped (null). */
  async #askItems(
    key: AnswerKey,
    request: AskRequest,
    client = this.#o.client,
  ): Promise<{ items: unknown[]; usage: CallUsage } | null> {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const result = await this.#ask(request, client);
      const items = parseAnswer(result.text, key);
      if (items !== null) return { items, usage: result.usage };
      this.#log.dropped++;
    }
    this.#log.error(`unusable ${key} answer`);
    return null;
  }

  async #ask(request: AskRequest, client: GeminiClient): Promise<{ text: string; usage: CallUsage }> {
    if (this.#stopReason) throw new StopAsking(this.#stopReason);
    if (await this.#o.budget.exhausted()) this.#stop('the daily Gemini budget is spent');
    try {
      const result = await client.ask(request);
      this.#failuresInARow = 0;
      await this.#spend(result.usage, result.calls, client);
      return { text: result.text, usage: result.usage };
    } catch (error) {
      if (!(error instanceof GeminiError)) throw error;
      await this.#spend(error.usage, error.calls, client);
      if (error.kind === 'daily-quota') this.#stopReason ??= 'the Gemini daily quota is used up';
      if (error.kind === 'auth') this.#stopReason ??= 'Gemini refused the API key';
      if (++this.#failuresInARow >= MAX_FAILURES_IN_A_ROW) this.#stopReason ??= 'Gemini kept failing';
      throw error;
    }
  }

  async #spend(usage: CallUsage, calls: number, client: GeminiClient): Promise<void> {
    const usd = costUsd(client.model, usage);
    this.#log.spend(usage, calls, usd);
    if (!(await this.#o.budget.spend(usage.tokens, usd ?? 0))) this.#stopReason ??= 'the daily Gemini budget is spent';
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
    const { usage, costUsd: cost } = this.#log;
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
      ...(Object.keys(this.#log.pages).length > 0 ? { pages: { ...this.#log.pages } } : {}),
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

/** A cinema without its pages: the model finds it by searching. */
function withoutPage({ url: _url, scheduleUrl: _scheduleUrl, ...theater }: Theater): Theater {
  return theater;
}

/**
 * The films a page's showings name: the known ones, and those the page adds (described by it, or only named),
 * so that a film the city's list missed still gets its showtimes.
 */
function filmsWith(
  known: readonly NowPlaying[],
  items: readonly unknown[],
  filmItems: readonly unknown[],
): NowPlaying[] {
  const knownNames = new Set(
    known.flatMap((movie) => Object.values(movie.titles)).map((title) => normalizeName(title)),
  );
  const named = items
    .map((item) => (item as { film?: unknown } | null)?.film)
    .filter((film): film is string => typeof film === 'string' && !knownNames.has(normalizeName(film)))
    .map((film) => ({ titleUk: film }));
  const added = normalizeMovies([...filmItems, ...named], known).items;
  const knownKeys = new Set(known.map((movie) => movie.key));
  return [...known, ...added.filter((movie) => !knownKeys.has(movie.key))];
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
