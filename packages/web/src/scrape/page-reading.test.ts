import { describe, expect, it } from 'vitest';
import type { SchedulePage } from '../domain/model.ts';
import { settlePage } from './page-reading.ts';

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

  it('does not judge against a read the model made, which the page itself did not hold', () => {
    const byModel = { ...read, path: 'model' as const, showtimes: { '2026-12-03': 40 } };
    expect(settlePage(read, byModel, DAYS, []).flagged).toBeUndefined();
  });
});
