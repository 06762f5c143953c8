import type { Day, Location } from './model.ts';

/** `ok`: every day asked for is stored; `partial`: some are; `failed`: none. */
export type FetchOutcome = 'ok' | 'partial' | 'failed';

/** Where showtimes come from: bundled samples in demo mode, Gemini in production. */
export interface ShowtimeSource {
  readonly kind: 'sample' | 'gemini';
  /** True when fetching is quick, local and free, so a request may wait for it. */
  readonly runsInline: boolean;
  /**
   * Fetches `days` for the city and writes them to the store as they arrive: showtimes, then each day to the
   * covered days once all of it is stored. Reports progress as queries complete.
   */
  fetchDays(location: Location, days: Day[], onProgress?: (done: number, total: number) => void): Promise<FetchOutcome>;
}
