import type { CityDay, Day } from '../domain/model.ts';
import type { Store } from '../store/store.ts';

/**
 * The `city_days` bookkeeping of one fetch: which units — films, or cinemas when asked by cinema — each day
 * has had answered so far (kept in the store after every answer, so a fetch resumed after a crash asks only
 * the others), and when a day is complete — every unit answered — its fetch time and showtime count, which
 * the freshness policy reads.
 */
export class DayLedger {
  readonly #store: Store;
  readonly #city: string;
  readonly #units: readonly string[];
  readonly #records = new Map<Day, CityDay>();
  readonly #refreshes: Day[];
  /** Writes wait for the one before, so a day's record is never overwritten by an older one. */
  #writing: Promise<void> = Promise.resolve();

  /**
   * `units` are the keys of the films (or cinemas) this fetch asks about; answers of a fetch under way since
   * less than `resumeWithinMs` count, older ones are started over.
   */
  constructor(options: {
    store: Store;
    city: string;
    days: readonly Day[];
    units: readonly string[];
    stored: readonly CityDay[];
    now: Date;
    resumeWithinMs: number;
  }) {
    this.#store = options.store;
    this.#city = options.city;
    this.#units = options.units;
    const stored = new Map(options.stored.map((record) => [record.day, record]));
    const now = options.now.getTime();
    this.#refreshes = options.days.filter((day) => stored.get(day)?.fetchedAt !== undefined);
    for (const day of options.days) {
      const record = stored.get(day) ?? { day, showtimes: 0 };
      const since = Date.parse(record.pending?.since ?? '');
      const resumable = record.pending !== undefined && now - since < options.resumeWithinMs;
      const fresh = { since: options.now.toISOString(), answered: [], showtimes: 0 };
      this.#records.set(day, { ...record, pending: resumable && record.pending ? record.pending : fresh });
    }
  }

  /** True when `unit` was already answered for `day` by this fetch or the one it resumes. */
  answered(day: Day, unit: string): boolean {
    return this.#records.get(day)?.pending?.answered.includes(unit) ?? false;
  }

  /** Days that had been fetched in full before this fetch: refreshes, which nobody waits for. */
  refreshes(): Day[] {
    return [...this.#refreshes];
  }

  /** Days every unit of which was answered before this fetch asked anything (a crash right before the last write). */
  completeAlready(): Day[] {
    return [...this.#records.keys()].filter((day) => this.#units.every((unit) => this.answered(day, unit)));
  }

  /** Notes the answers for `units` on `day` and their showtimes; true when that completed the day. */
  async record(day: Day, units: readonly string[], showtimes: number, now: Date): Promise<boolean> {
    const record = this.#records.get(day);
    const pending = record?.pending;
    if (!record || !pending) return false;
    pending.answered.push(...units.filter((unit) => !pending.answered.includes(unit)));
    pending.showtimes += showtimes;
    const complete = this.#units.every((unit) => pending.answered.includes(unit));
    const next: CityDay = complete
      ? { day, fetchedAt: now.toISOString(), showtimes: pending.showtimes }
      : { ...record, pending: { ...pending, answered: [...pending.answered] } };
    if (complete) this.#records.set(day, next);
    this.#writing = this.#writing.then(() => this.#store.putCityDay(this.#city, next));
    await this.#writing;
    return complete;
  }
}
