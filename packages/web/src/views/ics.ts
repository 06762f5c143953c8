import ical, { ICalCalendarMethod } from 'ical-generator';
import { showingEnd } from '../domain/showing.ts';

export interface CalendarShowing {
  /** Stable for the showing, so adding it twice updates one event: `kyiv/film/cinema/2026-11-24T19:30@host`. */
  uid: string;
  /** When the showing's data last changed (DTSTAMP). */
  stamp: Date;
  /** ISO-8601 with the city's offset. */
  startsAt: string;
  durationMin?: number;
  summary: string;
  location: string;
  url: string;
  description: string;
}

/**
 * One showing as an iCalendar file (RFC 5545) that Google Calendar, Apple Calendar and Outlook import: times in
 * UTC (no VTIMEZONE needed), lines folded at 75 octets and ended by CRLF, METHOD:PUBLISH. DTEND is the start
 * plus the running time; without a known running time it is left out (the event then ends as it starts).
 */
export function showingIcs(showing: CalendarShowing): string {
  const calendar = ical({
    prodId: { company: 'CineStream', product: 'Showtimes', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
  });
  calendar.createEvent({
    id: showing.uid,
    stamp: showing.stamp,
    start: new Date(showing.startsAt),
    ...(showing.durationMin ? { end: new Date(showingEnd(showing.startsAt, showing.durationMin)) } : {}),
    summary: showing.summary,
    location: showing.location,
    url: showing.url,
    description: showing.description,
  });
  return `${calendar.toString()}\r\n`;
}

/** The `.ics` link of a showing, after the base path: `/uk/city/kyiv/showing.ics?film=…&cinema=…&at=…`. */
export function showingCalendarPath(
  lang: string,
  slug: string,
  film: string,
  cinema: string,
  startsAt: string,
): string {
  const query = new URLSearchParams({ film, cinema, at: startsAt.slice(0, 16) });
  return `/${lang}/city/${encodeURIComponent(slug)}/showing.ics?${query}`;
}
