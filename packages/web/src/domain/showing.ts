import type { Showtime } from './model.ts';

/**
 * When a showing ends: its start plus the running time, written with the start's own offset
 * (`2026-11-24T19:30:00+02:00` + 125 min → `2026-11-24T21:35:00+02:00`).
 */
export function showingEnd(startsAt: string, durationMin: number): string {
  const offset = startsAt.slice(19) || 'Z';
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours = 0, minutes = 0] = offset === 'Z' ? [] : offset.slice(1).split(':').map(Number);
  const offsetMs = sign * (hours * 60 + minutes) * 60_000;
  const end = new Date(Date.parse(startsAt) + durationMin * 60_000 + offsetMs);
  return `${end.toISOString().slice(0, 19)}${offset}`;
}

/** A showing's identity within its city: film, cinema and start, unique across the city's schedule. */
export function showingId(movieKey: string, theaterKey: string, showtime: Pick<Showtime, 'startsAt'>): string {
  return `${movieKey}/${theaterKey}/${showtime.startsAt.slice(0, 16)}`;
}
