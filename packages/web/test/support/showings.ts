import { localIso } from '../../src/domain/time.ts';
import { keyOf } from '../../src/scrape/normalize.ts';
import type { Store } from '../../src/store/store.ts';
import type { FakeCity } from './fake-city.ts';

/** Every showing stored for Kyiv on `days`, as `movie|theater|startsAt|format`, sorted. */
export async function storedShowings(store: Store, days: readonly string[], now: Date): Promise<string[]> {
  const [from = '', to = from] = [days[0], days.at(-1)];
  const movies = await store.moviesFor('kyiv', { from, to }, now);
  return movies
    .flatMap((movie) =>
      movie.theaters.flatMap((theater) =>
        theater.showtimes.map((s) => `${movie.key}|${theater.theaterKey}|${s.startsAt}|${s.format}`),
      ),
    )
    .sort();
}

/** What the fake city shows on `days`, in the same form. */
export function expectedShowings(city: FakeCity, days: readonly string[]): string[] {
  return city.movies
    .flatMap((movie, index) =>
      city
        .showtimes(index, [...days])
        .map(
          (s) =>
            `${keyOf(movie.originalTitle)}|${keyOf(s.theater)}|${localIso(s.date, s.time, 'Europe/Kyiv')}|${s.format}`,
        ),
    )
    .sort();
}
