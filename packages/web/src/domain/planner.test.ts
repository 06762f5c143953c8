import { describe, expect, it } from 'vitest';
import { daysToFetch, HORIZON_DAYS } from './planner.ts';
import { addDays, dayRange, todayIn } from './time.ts';

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

describe('daysToFetch, exhaustively', () => {
  it('crosses month ends, including February of a leap year', () => {
    expect(daysToFetch(dayRange('2028-02-20', 9), '2028-02-20')).toEqual(dayRange('2028-02-29', 5));
    expect(daysToFetch(dayRange('2026-04-25', 6), '2026-04-25')).toEqual(dayRange('2026-05-01', 8));
    expect(daysToFetch([], '2027-02-27')).toContain('2027-03-01');
    expect(daysToFetch([], '2027-02-27')).not.toContain('2027-02-29');
  });

  it('is unaffected by the clock changes: DST days are ordinary calendar days', () => {
    // Europe/Kyiv moves to summer time on 2026-03-29 and back on 2026-10-25.
    expect(daysToFetch([], '2026-03-22')).toEqual(dayRange('2026-03-22', 14));
    expect(daysToFetch([], '2026-03-22')).toContain('2026-03-29');
    const october = dayRange('2026-10-20', 14).filter((day) => day !== '2026-10-25');
    expect(daysToFetch(october, '2026-10-20')).toEqual(['2026-10-25']);
  });

  it('takes "today" in the city: just after midnight in Kyiv the horizon has moved on', () => {
    const kyivToday = todayIn('Europe/Kyiv', new Date('2026-10-24T21:30:00Z')); // 00:30 in Kyiv (summer time)
    expect(kyivToday).toBe('2026-10-25');
    expect(daysToFetch(dayRange('2026-10-24', 14), kyivToday)).toEqual(['2026-11-07']);
    const winter = todayIn('Europe/Kyiv', new Date('2026-10-25T22:30:00Z')); // 00:30 in Kyiv (winter time)
    expect(winter).toBe('2026-10-26');
  });

  it('ignores covered days outside the horizon', () => {
    expect(daysToFetch(['2020-01-01', '2099-12-31'], '2026-11-24')).toEqual(dayRange('2026-11-24', 14));
  });

  it('over every day of two years and every gap pattern of a week: returns exactly the horizon minus what is covered', () => {
    for (let offset = 0; offset < 731; offset++) {
      const today = addDays('2026-01-01', offset);
      const horizon = dayRange(today, HORIZON_DAYS);
      const pattern = offset % 128;
      const covered = horizon.filter((_day, index) => (pattern >> (index % 7)) & 1);
      const expected = horizon.filter((day) => !covered.includes(day));
      expect(daysToFetch([...covered].reverse(), today)).toEqual(expected);
      expect(daysToFetch(horizon, today)).toEqual([]);
      expect(daysToFetch([], today)).toEqual(horizon);
    }
  });
});
