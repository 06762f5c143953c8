import { describe, expect, it } from 'vitest';
import type { SchedulePage } from '../domain/model.ts';
import { sameFrom, settlePage, showingsOfGroups, textDayHashes } from './page-reading.ts';

const DAYS = ['2026-12-03', '2026-12-04', '2026-12-05'];
const read: SchedulePage = {
  theaterKey: 'kino',
  url: 'https://kino.example/schedule',
  readAt: '2026-12-03T08:00:00.000Z',
  path: 'structured',
  reason: 'schema.org ScreeningEvent data',
  hash: 'a'.repeat(64),
  showtimes: {},
};
const times = (day: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${day}T${String(10 + i).padStart(2, '0')}:00:00+02:00`);

describe('settlePage: the counts per day of a read, and whether to trust it', () => {
  it('counts the showtimes of every covered day, 0 included, and ignores days outside them', () => {
    const page = settlePage(read, undefined, DAYS, [
      ...times('2026-12-03', 3),
      ...times('2026-12-05', 1),
      ...times('2026-12-30', 2),
    ]);
    expect(page.showtimes).toEqual({ '2026-12-03': 3, '2026-12-04': 0, '2026-12-05': 1 });
    expect(page.path).toBe('structured');
    expect(page.flagged).toBeUndefined();
  });

  it('flags a page holding far fewer showtimes a day than the read before, and keeps the earlier counts', () => {
    const before = { ...read, showtimes: { '2026-12-02': 20, '2026-12-03': 20 } };
    const page = settlePage(read, before, DAYS, times('2026-12-03', 2));
    expect(page.path).toBe('model');
    expect(page.flagged).toMatch(/held 2 showtimes .* found 40/);
    expect(page.showtimes).toEqual(before.showtimes);
    // Measured against the same counts next time: a second sparse read is flagged again.
    expect(settlePage(read, page, DAYS, times('2026-12-03', 2)).flagged).toBeDefined();
  });

  it('takes a page that simply lists fewer days, and one whose earlier read was too small to judge', () => {
    const week = { ...read, showtimes: { '2026-12-01': 10, '2026-12-02': 10, '2026-12-03': 10 } };
    expect(settlePage(read, week, DAYS, times('2026-12-03', 9)).flagged).toBeUndefined();
    const small = { ...read, showtimes: { '2026-12-03': 6 } };
    expect(settlePage(read, small, DAYS, []).flagged).toBeUndefined();
  });

  it('flags an empty read after a full one', () => {
    const full = { ...read, showtimes: { '2026-12-03': 15 } };
    expect(settlePage(read, full, DAYS, []).flagged).toMatch(/held 0 showtimes/);
  });

  it('of a cut text, keeps only the days before the last one it found showings on', () => {
    const page = settlePage(read, undefined, DAYS, [...times('2026-12-03', 3), ...times('2026-12-04', 1)], true);
    expect(page.showtimes).toEqual({ '2026-12-03': 3 });
    expect(page.reason).toMatch(/days from 2026-12-04 on are left to the model$/);
    expect(settlePage(read, undefined, DAYS, [], true).showtimes).toEqual({});
  });

  it('does not judge against a read the model made, which the page itself did not hold', () => {
    const byModel = { ...read, path: 'model' as const, showtimes: { '2026-12-03': 40 } };
    expect(settlePage(read, byModel, DAYS, []).flagged).toBeUndefined();
  });
});

describe('showingsOfGroups: a page-text answer, grouped by film and day, as one item per showing', () => {
  it('spreads each group over its times and resolves booking links against the page', () => {
    const groups = [
      {
        film: 'Дюна',
        date: '2026-12-03',
        times: [
          { time: '19:30', format: 'IMAX', bookingUrl: '/book/1' },
          { time: '22:00', bookingUrl: 'https://tickets.example/2' },
          { time: '23:10', bookingUrl: 'javascript:alert(1)' },
        ],
      },
      { film: 'Аватар', date: '2026-12-04', times: [{ time: '10:00' }] },
    ];
    expect(showingsOfGroups(groups, 'https://kino.example/schedule/')).toEqual([
      { film: 'Дюна', date: '2026-12-03', time: '19:30', format: 'IMAX', bookingUrl: 'https://kino.example/book/1' },
      { film: 'Дюна', date: '2026-12-03', time: '22:00', bookingUrl: 'https://tickets.example/2' },
      // Still not http(s): the showtime validation drops such a link, as it does in every answer.
      { film: 'Дюна', date: '2026-12-03', time: '23:10', bookingUrl: 'javascript:alert(1)' },
      { film: 'Аватар', date: '2026-12-04', time: '10:00' },
    ]);
  });

  it('passes a malformed group on as it is, to be counted as dropped, and keeps the group’s film and day over a time’s', () => {
    expect(showingsOfGroups([{ film: 'Дюна', date: '2026-12-03' }, 'nonsense'], 'https://kino.example/')).toEqual([
      { film: 'Дюна', date: '2026-12-03' },
      'nonsense',
    ]);
    expect(
      showingsOfGroups(
        [{ film: 'A', date: '2026-12-03', times: [{ time: '10:00', film: 'B', date: '2027-01-01' }] }],
        'https://k.example/',
      ),
    ).toEqual([{ film: 'A', date: '2026-12-03', time: '10:00' }]);
  });
});

describe('a page that only dropped its past days', () => {
  const text = (days: string[], extra = '') =>
    [
      '# Кінотеатр',
      ...days.flatMap((day) => ['', `[${day}]`, '', `## ${day}`, '### Дюна', `19:30 </book/${day}>${extra}`]),
    ].join('\n');

  it('tells the days of compact text apart by their [YYYY-MM-DD] lines, each with its own hash', () => {
    const hashes = textDayHashes(text(['2026-12-03', '2026-12-04']));
    expect(Object.keys(hashes)).toEqual(['2026-12-03', '2026-12-04']);
    expect(hashes['2026-12-03']).not.toBe(hashes['2026-12-04']);
    expect(textDayHashes(text(['2026-12-04']))['2026-12-04']).toBe(hashes['2026-12-04']);
    expect(textDayHashes('19:30 20:00 21:00 without any dated block')).toEqual({});
  });

  it('is the same from today on when its remaining days are, and only then', () => {
    const before = textDayHashes(text(['2026-12-02', '2026-12-03', '2026-12-04']));
    expect(sameFrom('2026-12-03', before, textDayHashes(text(['2026-12-03', '2026-12-04'])))).toBe(true);
    // A showing changed, a day was added or dropped ahead, or nothing dates the days: changed.
    expect(sameFrom('2026-12-03', before, textDayHashes(text(['2026-12-03', '2026-12-04'], ' IMAX')))).toBe(false);
    expect(sameFrom('2026-12-03', before, textDayHashes(text(['2026-12-03', '2026-12-04', '2026-12-05'])))).toBe(false);
    expect(sameFrom('2026-12-03', before, textDayHashes(text(['2026-12-03'])))).toBe(false);
    expect(sameFrom('2026-12-03', before, {})).toBe(false);
    expect(sameFrom('2026-12-03', undefined, textDayHashes(text(['2026-12-03', '2026-12-04'])))).toBe(false);
  });
});
