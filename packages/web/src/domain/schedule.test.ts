import { describe, expect, it } from 'vitest';
import type { Movie } from './model.ts';
import { audioOf, endsAt, matchesFilter, partOfDay, showingsOf } from './schedule.ts';

describe('partOfDay', () => {
  it.each([
    ['2026-11-24T05:00:00+02:00', 'morning'],
    ['2026-11-24T11:59:00+02:00', 'morning'],
    ['2026-11-24T12:00:00+02:00', 'afternoon'],
    ['2026-11-24T16:45:00+02:00', 'afternoon'],
    ['2026-11-24T17:00:00+02:00', 'evening'],
    ['2026-11-24T20:59:00+02:00', 'evening'],
    ['2026-11-24T21:00:00+02:00', 'late'],
    ['2026-11-24T01:30:00+02:00', 'late'],
  ])('%s is %s', (startsAt, part) => expect(partOfDay(startsAt)).toBe(part));
});

describe('audioOf', () => {
  it('tells dubbed from subtitled, and unknown from both', () => {
    expect(audioOf({ startsAt: '', format: '2D', language: 'uk' })).toBe('dubbed');
    expect(audioOf({ startsAt: '', format: '2D', language: 'original', subtitles: 'uk' })).toBe('subtitled');
    expect(audioOf({ startsAt: '', format: '2D', language: 'original' })).toBeUndefined();
    expect(audioOf({ startsAt: '', format: '2D' })).toBeUndefined();
  });
});

describe('endsAt', () => {
  it('adds the running time on the wall clock, keeping the offset, across midnight too', () => {
    expect(endsAt('2026-11-24T20:00:00+02:00', 118)).toBe('2026-11-24T21:58:00+02:00');
    expect(endsAt('2026-11-24T23:30:00+02:00', 95)).toBe('2026-11-25T01:05:00+02:00');
  });
});

const movie = (key: string, theaters: Movie['theaters']): Movie => ({
  key,
  city: 'kyiv',
  titles: { uk: key },
  genres: [],
  theaters,
  days: ['2026-11-24'],
  updatedAt: '',
  expiresAt: '',
});

describe('showingsOf', () => {
  const films = [
    movie('a', [
      {
        theaterKey: 't1',
        name: 'One',
        showtimes: [
          { startsAt: '2026-11-24T21:30:00+02:00', format: 'IMAX', language: 'original', subtitles: 'uk' },
          { startsAt: '2026-11-24T10:00:00+02:00', format: '2D', language: 'uk' },
        ],
      },
    ]),
    movie('b', [
      { theaterKey: 't2', name: 'Two', showtimes: [{ startsAt: '2026-11-24T19:00:00+02:00', format: '2D' }] },
    ]),
  ];

  it('lists every showing across films, earliest first', () => {
    expect(showingsOf(films).map((s) => `${s.movie.key} ${s.showtime.startsAt.slice(11, 16)}`)).toEqual([
      'a 10:00',
      'b 19:00',
      'a 21:30',
    ]);
  });

  it('keeps only what passes each filter', () => {
    const keys = (filter: Parameters<typeof showingsOf>[1]) =>
      showingsOf(films, filter).map((s) => s.showtime.startsAt.slice(11, 16));
    expect(keys({ theater: 't2' })).toEqual(['19:00']);
    expect(keys({ format: 'IMAX' })).toEqual(['21:30']);
    expect(keys({ time: 'morning' })).toEqual(['10:00']);
    expect(keys({ time: 'late', audio: 'subtitled' })).toEqual(['21:30']);
    expect(keys({ audio: 'dubbed' })).toEqual(['10:00']);
    expect(matchesFilter({ startsAt: '2026-11-24T19:00:00+02:00', format: '2D' }, 't2', { time: 'evening' })).toBe(
      true,
    );
  });
});
