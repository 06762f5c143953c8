import type { Day, Location } from './model.ts';

/** Where showtimes come from: bundled samples in demo mode, Gemini in production. */
export interface ShowtimeSource {
  readonly kind: 'sample' | 'gemini';
  /** True when fetching is quick and local, so a request may wait for it. */
  readonly runsInline: boolean;
  /** Fetches `days` for the city and writes them to the store as they arrive, including the covered days. */
  fetchDays(location: Location, days: Day[], onProgress?: (done: number, total: number) => void): Promise<void>;
}
