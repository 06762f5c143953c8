import type { Lang, Location, Movie, Showtime, Theater } from '../domain/model.ts';
import { type ShownName, theaterName } from '../domain/names.ts';
import { endsAt } from '../domain/schedule.ts';
import { dateTimeFormat } from '../domain/time.ts';
import { LOCALES, t, tMaybe } from '../i18n/index.ts';
import { showingCalendarPath } from './ics.ts';

/** `20:45`: the wall-clock part of an ISO time with offset, which is the city's local time. */
export function localTime(lang: Lang, iso: string): string {
  const time = dateTimeFormat(LOCALES[lang], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });
  return time.format(new Date(`${iso.slice(0, 19)}Z`));
}

/** `вівторок, 24 листопада` for a `YYYY-MM-DD` day. */
export function longDate(lang: Lang, day: string): string {
  const format = dateTimeFormat(LOCALES[lang], { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  return format.format(new Date(`${day}T12:00:00Z`));
}

/** `24 листопада` for a `YYYY-MM-DD` day. */
export function shortDate(lang: Lang, day: string): string {
  const format = dateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'long', timeZone: 'UTC' });
  return format.format(new Date(`${day}T12:00:00Z`));
}

export function audioText(lang: Lang, showtime: Showtime): string {
  const parts: string[] = [];
  if (showtime.language) parts.push(tMaybe(lang, `audio.${showtime.language}`, showtime.language));
  if (showtime.subtitles) parts.push(tMaybe(lang, `subs.${showtime.subtitles}`, showtime.subtitles));
  return parts.join(', ');
}

/** The film's title in the page's language, else another one, marked with the language it is in. */
export function movieTitle(lang: Lang, movie: Pick<Movie, 'titles' | 'key'>): ShownName {
  const { titles } = movie;
  const own = titles[lang];
  if (own) return { text: own };
  if (titles.original) return { text: titles.original };
  for (const other of ['uk', 'en', 'ru'] as const) {
    const text = titles[other];
    if (text) return { text, lang: other };
  }
  return { text: movie.key };
}

/** Every title a film is known by, for search. */
export function allTitles(movie: Pick<Movie, 'titles'>): string[] {
  return Object.values(movie.titles).filter((title): title is string => Boolean(title));
}

/** Cinema names in the page's language, by key: from the city's cinemas, else the name a film's listing gives. */
export function theaterNames(lang: Lang, location: Location, movies: readonly Movie[]): Map<string, ShownName> {
  const names = new Map<string, ShownName>();
  for (const movie of movies) {
    for (const theater of movie.theaters) names.set(theater.theaterKey, theaterName({ name: theater.name }, lang));
  }
  for (const theater of location.theaters) names.set(theater.key, theaterName(theater, lang));
  return names;
}

/** A cinema of the city by key: as the city lists it, else as a film's listing names it. */
export function findTheater(location: Location, movies: readonly Movie[], key: string): Theater | undefined {
  const listed = location.theaters.find((theater) => theater.key === key);
  if (listed) return listed;
  for (const movie of movies) {
    const listing = movie.theaters.find((theater) => theater.theaterKey === key);
    if (listing) return { key, name: listing.name };
  }
  return undefined;
}

/** One showtime as the pages show it: started ones are never links; bookable ones say so. */
/** A showing still to come gets a link to its `.ics`; one that started does not. */
export function withCalendarLink(
  view: ReturnType<typeof showtimeView>,
  lang: Lang,
  base: string,
  showing: { slug: string; film: string; cinema: string; cinemaName: string; startsAt: string },
): ReturnType<typeof showtimeView> {
  if (view.past) return view;
  return {
    ...view,
    calendarUrl: base + showingCalendarPath(lang, showing.slug, showing.film, showing.cinema, showing.startsAt),
    calendar: t(lang, 'showtime.calendar'),
    calendarLabel: t(lang, 'showtime.calendarLabel', { time: String(view.time), theater: showing.cinemaName }),
  };
}

export function showtimeView(
  lang: Lang,
  showtime: Showtime,
  cinema: string,
  nowMs: number,
  durationMin?: number,
): Record<string, string | boolean> {
  const time = localTime(lang, showtime.startsAt);
  const past = Date.parse(showtime.startsAt) < nowMs;
  const end = durationMin ? endsAt(showtime.startsAt, durationMin) : '';
  const bookingUrl = past ? '' : (showtime.bookingUrl ?? '');
  return {
    time,
    datetime: showtime.startsAt,
    end: end ? localTime(lang, end) : '',
    endDatetime: end,
    endLabel: end ? t(lang, 'showtime.ends', { time: localTime(lang, end) }) : '',
    past,
    format: showtime.format,
    formatLabel: t(lang, 'showtime.formatLabel', { format: showtime.format }),
    audio: audioText(lang, showtime),
    bookingUrl,
    book: t(lang, 'showtime.book'),
    bookLabel: bookingUrl ? t(lang, 'showtime.bookLabel', { time, theater: cinema }) : '',
    started: t(lang, 'showtime.started'),
  };
}
