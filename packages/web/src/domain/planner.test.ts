import { describe, expect, it } from 'vitest';
import { daysToFetch, daysToFetchNow } from './planner.ts';
import { addDays, isDay, todayIn } from './time.ts';

describe('daysToFetch, worked by hand', () => {
  it('asks for the whole horizon, today included, when nothing is stored', () => {
    expect(daysToFetch([], '2026-11-24')).toEqual([
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
      '2026-12-07',
    ]);
  });

  const november24To7December = [
    ...['24', '25', '26', '27', '28', '29', '30'].map((d) => `2026-11-${d}`),
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2026-12-${d}`),
  ];

  it('asks for nothing when the horizon is covered, and ignores covered days outside it', () => {
    expect(daysToFetch(november24To7December, '2026-11-24')).toEqual([]);
    expect(daysToFetch(['2026-11-23', ...november24To7December, '2026-12-08'], '2026-11-24')).toEqual([]);
    expect(daysToFetch(['2020-01-01', '2026-11-23', '2026-12-08', '2099-12-31'], '2026-11-24')).toHaveLength(14);
  });

  it('asks only for the new last day as a day passes', () => {
    expect(daysToFetch(november24To7December, '2026-11-25')).toEqual(['2026-12-08']);
  });

  it('fills gaps in the middle, in order, whatever the order of the covered days', () => {
    const covered = november24To7December.filter((day) => day !== '2026-11-27' && day !== '2026-12-01').reverse();
    expect(daysToFetch(covered, '2026-11-24')).toEqual(['2026-11-27', '2026-12-01']);
  });

  it('crosses the year end', () => {
    const december20To31 = Array.from({ length: 12 }, (_, i) => `2026-12-${String(20 + i)}`);
    expect(daysToFetch(december20To31, '2026-12-20')).toEqual(['2027-01-01', '2027-01-02']);
  });

  it('crosses month ends: 30-day April, the leap day of 2028, and February 2027 without one', () => {
    expect(
      daysToFetch(['2026-04-25', '2026-04-26', '2026-04-27', '2026-04-28', '2026-04-29', '2026-04-30'], '2026-04-25'),
    ).toEqual([
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      '2026-05-06',
      '2026-05-07',
      '2026-05-08',
    ]);
    const february20To28 = Array.from({ length: 9 }, (_, i) => `2028-02-${String(20 + i)}`);
    expect(daysToFetch(february20To28, '2028-02-20')).toEqual([
      '2028-02-29',
      '2028-03-01',
      '2028-03-02',
      '2028-03-03',
      '2028-03-04',
    ]);
    expect(daysToFetch([], '2027-02-27').slice(0, 4)).toEqual(['2027-02-27', '2027-02-28', '2027-03-01', '2027-03-02']);
    expect(daysToFetch([], '2027-02-27').at(-1)).toBe('2027-03-12');
  });

  it('treats the days the clocks change in Kyiv (2026-03-29, 2026-10-25) as ordinary days', () => {
    const spring = daysToFetch([], '2026-03-22');
    expect(spring.slice(6, 9)).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
    expect(spring.at(-1)).toBe('2026-04-04');
    expect(daysToFetch(['2026-03-29'], '2026-03-29')).toEqual([
      '2026-03-30',
      '2026-03-31',
      '2026-04-01',
      '2026-04-02',
      '2026-04-03',
      '2026-04-04',
      '2026-04-05',
      '2026-04-06',
      '2026-04-07',
      '2026-04-08',
      '2026-04-09',
      '2026-04-10',
      '2026-04-11',
    ]);
    const october20To2November = [
      ...['20', '21', '22', '23', '24', '26', '27', '28', '29', '30', '31'].map((d) => `2026-10-${d}`),
      '2026-11-01',
      '2026-11-02',
    ];
    expect(daysToFetch(october20To2November, '2026-10-20')).toEqual(['2026-10-25']);
  });

  it('moves with midnight in the city, not in UTC', () => {
    const covered = Array.from({ length: 8 }, (_, i) => `2026-10-${String(24 + i)}`);
    covered.push('2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06');
    // 23:30 and 00:30 in Kyiv on summer time (UTC+3), the night before the clocks go back.
    expect(todayIn('Europe/Kyiv', new Date('2026-10-24T20:30:00Z'))).toBe('2026-10-24');
    expect(daysToFetch(covered, todayIn('Europe/Kyiv', new Date('2026-10-24T20:30:00Z')))).toEqual([]);
    expect(todayIn('Europe/Kyiv', new Date('2026-10-24T21:30:00Z'))).toBe('2026-10-25');
    expect(daysToFetch(covered, todayIn('Europe/Kyiv', new Date('2026-10-24T21:30:00Z')))).toEqual(['2026-11-07']);
    // The next night, on winter time (UTC+2), the same UTC hour is still the evening before.
    expect(todayIn('Europe/Kyiv', new Date('2026-10-25T21:30:00Z'))).toBe('2026-10-25');
    expect(todayIn('Europe/Kyiv', new Date('2026-10-25T22:30:00Z'))).toBe('2026-10-26');
    // 00:30 on the spring change day is 22:30 UTC the evening before.
    expect(todayIn('Europe/Kyiv', new Date('2026-03-28T22:30:00Z'))).toBe('2026-03-29');
  });
});

/** A repeatable pseudo-random sequence in [0, 1) (mulberry32). */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The day `count` days after `day`, from the calendar fields (not the millisecond arithmetic of time.ts). */
function calendarDaysAfter(day: string, count: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + count)).toISOString().slice(0, 10);
}

describe('daysToFetch, for every day of 2026–2028 and random covered days around it', () => {
  const random = sequence(20261124);
  const cases = Array.from({ length: 1096 }, (_, offset) => {
    const today = calendarDaysAfter('2026-01-01', offset);
    const covered = Array.from({ length: Math.floor(random() * 20) }, () =>
      addDays(today, Math.floor(random() * 24) - 5),
    );
    return { today, covered, result: daysToFetch(covered, today) };
  });

  it('returns real days in increasing order, none of them before today', () => {
    for (const { today, result } of cases) {
      expect(result.every(isDay), today).toBe(true);
      expect(
        result.every((day, i) => i === 0 || (result[i - 1] as string) < day),
        today,
      ).toBe(true);
      expect(
        result.every((day) => day >= today),
        today,
      ).toBe(true);
    }
  });

  it('returns only days of the horizon that are not covered', () => {
    for (const { today, covered, result } of cases) {
      const last = calendarDaysAfter(today, 13);
      expect(
        result.every((day) => day <= last),
        today,
      ).toBe(true);
      expect(
        result.filter((day) => covered.includes(day)),
        today,
      ).toEqual([]);
    }
  });

  it('leaves no day of the horizon both uncovered and unasked', () => {
    for (const { today, covered, result } of cases) {
      const last = calendarDaysAfter(today, 13);
      const known = new Set([...covered, ...result].filter((day) => day >= today && day <= last));
      expect(known.size, today).toBe(14);
    }
  });
});

describe('daysToFetchNow: the freshness policy over city_days and the covered days', () => {
  const location = { coveredDays: ['2026-11-24', '2026-11-25'], timezone: 'Europe/Kyiv' };
  // Tuesday 2026-11-24 10:00 in Kyiv.
  const now = new Date('2026-11-24T08:00:00Z');

  it('keeps covered days without a record as they are and asks the rest', () => {
    expect(daysToFetchNow(location, [], now, undefined, 4)).toEqual(['2026-11-26', '2026-11-27']);
  });

  it('lets a record decide over a covered day, and ignores a record with no complete fetch', () => {
    const cityDays = [
      { day: '2026-11-24', fetchedAt: '2026-11-23T19:00:00Z', showtimes: 30 },
      { day: '2026-11-26', fetchedAt: '2026-11-24T07:00:00Z', showtimes: 0 },
      { day: '2026-11-27', showtimes: 0, pending: { since: '2026-11-24T07:00:00Z', answered: ['dune'], showtimes: 4 } },
    ];
    // 11-24: 13 h old (today); 11-25 covered; 11-26 empty but fresh; 11-27 only pending: missing.
    expect(daysToFetchNow(location, cityDays, now, undefined, 4)).toEqual(['2026-11-24', '2026-11-27']);
  });
});
