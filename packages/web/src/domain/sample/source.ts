import { createHash } from 'node:crypto';
import type { Store } from '../../store/store.ts';
import type { Day, Location, MovieInput, Showtime } from '../model.ts';
import type { ShowtimeSource } from '../source.ts';
import { localIso } from '../time.ts';
import { SAMPLE_MOVIES, type SampleMovie } from './movies.ts';
import { sampleTheaters } from './theaters.ts';

/** A number in [0, 1) that is always the same for the same words. */
function chance(...words: string[]): number {
  return createHash('sha256').update(words.join('|')).digest().readUInt32BE(0) / 2 ** 32;
}

const FIRST_SLOT = 10 * 4; // 10:00, in quarter hours
const LAST_SLOT = 22 * 4 + 2; // 22:30

function sampleShowtimes(city: string, day: Day, timezone: string, movie: SampleMovie, theaterKey: string): Showtime[] {
  if (chance(city, day, movie.key, theaterKey, 'plays') < 0.3) return [];
  const count = 1 + Math.floor(chance(city, day, movie.key, theaterKey, 'count') * 3);
  const span = Math.floor((LAST_SLOT - FIRST_SLOT) / count);
  const showtimes: Showtime[] = [];
  for (let index = 0; index < count; index++) {
    const slot =
      FIRST_SLOT + index * span + Math.floor(chance(city, day, movie.key, theaterKey, `slot${index}`) * span);
    const time = `${String(Math.floor(slot / 4)).padStart(2, '0')}:${String((slot % 4) * 15).padStart(2, '0')}`;
    const format =
      movie.formats[Math.floor(chance(city, day, movie.key, theaterKey, `fmt${index}`) * movie.formats.length)] ?? '2D';
    const startsAt = localIso(day, time, timezone);
    showtimes.push({
      startsAt,
      format,
      ...(movie.audio === 'uk' ? { language: 'uk' } : { language: 'original', subtitles: 'uk' }),
      ...(theaterKey.endsWith('-1')
        ? { bookingUrl: `https://example.com/tickets?session=${encodeURIComponent(`${movie.key}-${startsAt}`)}` }
        : {}),
    });
  }
  return showtimes;
}

/** The demo-mode source: bundled, made-up showtimes for any catalog city and any day, written through the store. */
export function sampleSource(store: Store, clock: () => Date = () => new Date()): ShowtimeSource {
  return {
    kind: 'sample',
    runsInline: true,
    async fetchDays(location: Location, days: Day[]) {
      const theaters = sampleTheaters(location.slug);
      for (const movie of SAMPLE_MOVIES) {
        const input: MovieInput = {
          city: location.slug,
          key: movie.key,
          titles: movie.titles,
          durationMin: movie.durationMin,
          genres: movie.genres,
          ageRating: movie.ageRating,
          synopsis: movie.synopsis,
          theaters: theaters.map((theater) => ({
            theaterKey: theater.key,
            name: theater.name,
            showtimes: days.flatMap((day) =>
              sampleShowtimes(location.slug, day, location.timezone, movie, theater.key),
            ),
          })),
        };
        await store.upsertMovie(input, clock());
      }
      await store.updateLocation(location.slug, { theaters, addCoveredDays: days });
      return 'ok';
    },
  };
}
