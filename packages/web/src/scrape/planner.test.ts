import { describe, expect, it } from 'vitest';
import { dayRange } from '../domain/time.ts';
import { daysToFetch } from './planner.ts';

describe('daysToFetch', () => {
  it('asks for the whole horizon when nothing is stored', () => {
    expect(daysToFetch([], '2026-11-24')).toEqual(dayRange('2026-11-24', 14));
  });
  it('asks for nothing when the horizon is covered', () => {
    expect(daysToFetch(dayRange('2026-11-20', 20), '2026-11-24')).toEqual([]);
  });
  it('asks only for the new last day as days pass', () => {
    expect(daysToFetch(dayRange('2026-11-24', 14), '2026-11-25')).toEqual(['2026-12-08']);
  });
  it('fills gaps in the middle', () => {
    const covered = dayRange('2026-11-24', 14).filter((day) => day !== '2026-11-27' && day !== '2026-12-01');
    expect(daysToFetch(covered, '2026-11-24')).toEqual(['2026-11-27', '2026-12-01']);
  });
  it('crosses the year end', () => {
    expect(daysToFetch(dayRange('2026-12-20', 12), '2026-12-20')).toEqual(['2027-01-01', '2027-01-02']);
  });
});
