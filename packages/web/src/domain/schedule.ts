import type { Movie, Showtime } from './model.ts';

export const PARTS_OF_DAY = ['morning', 'afternoon', 'evening', 'late'] as const;
export type PartOfDay = (typeof PARTS_OF_DAY)[number];

export const AUDIO_CHOICES = ['dubbed', 'subtitled'] as const;
export type AudioChoice = (typeof AUDIO_CHOICES)[number];

export const SORTS = ['time', 'film'] as const;
export type Sort = (typeof SORTS)[number];

/** What a visitor narrows a day's showings to; absent means "any". */
export interface ShowingFilter {
  theater?: string;
  format?: string;
  time?: PartOfDay;
  audio?: AudioChoice;
}

/** The local hour (from the wall-clock part of `startsAt`): before 12 morning, before 17 afternoon, before 21 evening. */
export function partOfDay(startsAt: string): PartOfDay {
  const hour = Number(startsAt.slice(11, 13));
  if (hour >= 5 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 17) return 'afternoon';
  if (hour >= 17 && hour < 21) return 'evening';
  return 'late';
}

/** Dubbed: voiced in a language of its own; subtitled: the original sound with subtitles. Unknown otherwise. */
export function audioOf(showtime: Showtime): AudioChoice | undefined {
  if (showtime.subtitles) return 'subtitled';
  if (showtime.language && showtime.language !== 'original') return 'dubbed';
  return undefined;
}

export function matchesFilter(showtime: Showtime, theaterKey: string, filter: ShowingFilter): boolean {
  return (
    (!filter.theater || filter.theater === theaterKey) &&
    (!filter.format || filter.format === showtime.format) &&
    (!filter.time || filter.time === partOfDay(showtime.startsAt)) &&
    (!filter.audio || filter.audio === audioOf(showtime))
  );
}

/** The end of a showing, `startsAt` plus the running time, in the same offset: `…T21:58:00+02:00`. */
export function endsAt(startsAt: string, durationMin: number): string {
  const wall = new Date(Date.parse(`${startsAt.slice(0, 19)}Z`) + durationMin * 60_000);
  return `${wall.toISOString().slice(0, 19)}${startsAt.slice(19)}`;
}

/** One showing of one film in one cinema. */
export interface Showing {
  movie: Movie;
  theaterKey: string;
  theaterName: string;
  showtime: Showtime;
  startMs: number;
}

/** The films' showings that pass the filter, earliest first. */
export function showingsOf(movies: readonly Movie[], filter: ShowingFilter = {}): Showing[] {
  const showings: Showing[] = [];
  for (const movie of movies) {
    for (const theater of movie.theaters) {
      for (const showtime of theater.showtimes) {
        if (!matchesFilter(showtime, theater.theaterKey, filter)) continue;
        const startMs = Date.parse(showtime.startsAt);
        showings.push({ movie, theaterKey: theater.theaterKey, theaterName: theater.name, showtime, startMs });
      }
    }
  }
  return showings.sort((a, b) => a.startMs - b.startMs || a.theaterName.localeCompare(b.theaterName));
}
