import type { CityDay, Day } from '../domain/model.ts';
import type { Store } from '../store/store.ts';

/**
 * The `city_days` bookkeeping of one fetch: which films each day has had answered so far (kept in the store
 * after every answer, so a fetch resumed after a crash asks only the others), and when a day is complete —
 * every film answered — its fetch time and showtime count, which the freshness policy reads.
 */
export class DayLedger {
  readonly #store: Store;
  readonly #city: string;
  readonly #films: readonly string[];
  readonly #records = new Map<Day, CityDay>();
  /** Writes wait for the one before, so a day's record is never overwritten by an older one. */
  #writing: Promise<void> = Promise.resolve();

  /**
   * `films` are the film keys this fetch asks about; answers of a fetch under way since less than
   * `resumeWithinMs` count, older ones are started over.
   */
  constructor(options: {
    store: Store;
    city: string;
    days: readonly Day[];
    films: readonly string[];
    stored: readonly CityDay[];
    now: Date;
    resumeWithinMs: number;
  }) {
    this.#store = options.store;
    this.#city = options.city;
    this.#films = options.films;
    const stored = new Map(options.stored.map((record) => [record.day, record]));
    const now = options.now.getTime();
    for (const day of options.days) {
      const record = stored.get(day) ?? { day, showtimes: 0 };
      const since = Date.parse(record.pending?.since ?? '');
      const resumable = record.pending && now - since < options.resumeWithinMs;
      this.#records.set(day, {
        ...record,
        pending:
          resumable && record.pending ? record.pending : { since: options.now.toISOString(), films: [], showtimes: 0 },
      });
    }
  }

  /** True when `film` was already answered for `day` by this fetch or the one it resumes. */
  answered(day: Day, film: string): boolean {
    return this.#records.get(day)?.pending?.films.includes(film) ?? false;
  }

  /** Days every film of which was answered before this fetch asked anything (a crash right before the last write). */
  completeAlready(): Day[] {
    return [...this.#records.keys()].filter((day) => this.#films.every((film) => this.answered(day, film)));
  }

  /** Notes the answers for `films` on `day` and their showtimes; true when that completed the day. */
  async record(day: Day, films: readonly string[], showtimes: number, now: Date): Promise<boolean> {
    const record = this.#records.get(day);
    const pending = record?.pending;
    if (!record || !pending) return false;
    const fresh = films.filter((film) => !pending.films.includes(film));
    pending.films.push(...fresh);
    pending.showtimes += showtimes;
    const complete = this.#films.every((film) => pending.films.includes(film));
    const next: CityDay = complete
      ? { day, fetchedAt: now.toISOString(), showtimes: pending.showtimes }
      : { ...record, pending: { ...pending, films: [...pending.films] } };
    if (complete) this.#records.set(day, next);
    this.#writing = this.#writing.then(() => this.#store.putCityDay(this.#city, next));
    await this.#writing;
    return complete;
  }
}
