import { describe, expect, it } from 'vitest';
import {
  askReason,
  type DayRecord,
  DEFAULT_RULES,
  daysToAsk,
  type FreshnessRules,
  latestPublication,
  type Moment,
} from './freshness.ts';
import { dayRange } from './time.ts';

const KYIV = 'Europe/Kyiv';
const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

// 2026-11-23 is a Monday. Kyiv is UTC+2 in November, UTC+3 from 2026-03-29 to 2026-10-25.
describe('latestPublication (default Monday 18:00 city time)', () => {
  const monday = DEFAULT_RULES.publication;
  it.each([
    ['Monday 17:59, a minute before: the Monday before', '2026-11-23T15:59:00Z', '2026-11-16T16:00:00.000Z'],
    ['Monday 18:00 exactly: that instant', '2026-11-23T16:00:00Z', '2026-11-23T16:00:00.000Z'],
    ['Tuesday 10:00', '2026-11-24T08:00:00Z', '2026-11-23T16:00:00.000Z'],
    ['Sunday 23:30, the end of the week', '2026-11-29T21:30:00Z', '2026-11-23T16:00:00.000Z'],
    ['Tuesday 00:30 in Kyiv while Monday in UTC', '2026-11-23T22:30:00Z', '2026-11-23T16:00:00.000Z'],
    ['summer time: Monday 18:00 is 15:00 UTC', '2026-03-31T07:00:00Z', '2026-03-30T15:00:00.000Z'],
    ['the week of the DST change: Monday before at winter time', '2026-03-29T12:00:00Z', '2026-03-23T16:00:00.000Z'],
  ])('%s', (_name, now, expected) => {
    expect(latestPublication(at(now), KYIV, monday).toISOString()).toBe(expected);
  });

  it('follows the configured weekday and time, and the city zone', () => {
    const wednesdayNoon = { weekday: 3, time: '12:00' };
    expect(latestPublication(at('2026-11-24T08:00:00Z'), KYIV, wednesdayNoon).toISOString()).toBe(
      '2026-11-18T10:00:00.000Z',
    );
    // 22:30 UTC is Monday 17:30 in New York: its Monday 18:00 has not come yet.
    expect(latestPublication(at('2026-11-23T22:30:00Z'), 'America/New_York', monday).toISOString()).toBe(
      '2026-11-16T23:00:00.000Z',
    );
  });
});

describe('askReason', () => {
  // Tuesday 2026-11-24 10:00 in Kyiv; the latest publication was Monday 18:00 (16:00 UTC).
  const tuesday: Moment = {
    now: at('2026-11-24T08:00:00Z'),
    today: '2026-11-24',
    publishedAt: at('2026-11-23T16:00:00Z'),
  };
  const wednesday: Moment = { ...tuesday, now: at('2026-11-25T08:00:00Z'), today: '2026-11-25' };
  const record = (fetchedAt: string, showtimes: number): DayRecord => ({ fetchedAt, showtimes });

  it.each<[string, string, DayRecord | undefined, Moment, string | null]>([
    ['a past day is never asked, even missing', '2026-11-23', undefined, tuesday, null],
    ['a past day is never asked, even empty', '2026-11-23', record('2026-11-01T00:00:00Z', 0), tuesday, null],
    ['a missing day is asked', '2026-11-30', undefined, tuesday, 'missing'],
    ['a missing today is asked', '2026-11-24', undefined, tuesday, 'missing'],
    [
      'an empty day fetched a minute before the publication',
      '2026-11-30',
      record('2026-11-23T15:59:00Z', 0),
      tuesday,
      'empty-before-publication',
    ],
    [
      'an empty day fetched at the publication, 16 h ago',
      '2026-11-30',
      record('2026-11-23T16:00:00Z', 0),
      tuesday,
      null,
    ],
    ['an empty day fetched 24 h 1 min ago', '2026-11-30', record('2026-11-24T07:59:00Z', 0), wednesday, 'empty-old'],
    ['an empty day fetched 24 h ago exactly', '2026-11-30', record('2026-11-24T08:00:00Z', 0), wednesday, null],
    ['a far day with showtimes, a week old', '2026-11-30', record('2026-11-17T08:00:00Z', 12), tuesday, null],
    [
      'a far day with showtimes fetched before the publication',
      '2026-11-30',
      record('2026-11-23T10:00:00Z', 3),
      tuesday,
      null,
    ],
    ['today with showtimes, 12 h old exactly', '2026-11-24', record('2026-11-23T20:00:00Z', 30), tuesday, null],
    ['today with showtimes, 12 h 1 min old', '2026-11-24', record('2026-11-23T19:59:00Z', 30), tuesday, 'soon-stale'],
    ['tomorrow with showtimes, 13 h old', '2026-11-25', record('2026-11-23T19:00:00Z', 30), tuesday, 'soon-stale'],
    ['the day after tomorrow, 13 h old', '2026-11-26', record('2026-11-23T19:00:00Z', 30), tuesday, null],
    [
      'today empty, 13 h old, after the publication: stale as today',
      '2026-11-24',
      record('2026-11-23T19:00:00Z', 0),
      tuesday,
      'soon-stale',
    ],
    [
      'tomorrow empty, fetched before the publication: the publication first',
      '2026-11-25',
      record('2026-11-23T07:00:00Z', 0),
      tuesday,
      'empty-before-publication',
    ],
  ])('%s', (_name, day, known, moment, expected) => {
    expect(askReason(day, known, moment, DEFAULT_RULES)).toBe(expected);
  });

  it('takes the configured ages', () => {
    const rules: FreshnessRules = { ...DEFAULT_RULES, soonMaxAgeMs: 6 * HOUR, emptyMaxAgeMs: 2 * HOUR };
    expect(askReason('2026-11-24', record('2026-11-24T01:00:00Z', 5), tuesday, rules)).toBe('soon-stale');
    expect(askReason('2026-11-24', record('2026-11-24T03:00:00Z', 5), tuesday, rules)).toBeNull();
    expect(askReason('2026-11-30', record('2026-11-24T05:30:00Z', 0), tuesday, rules)).toBe('empty-old');
    expect(askReason('2026-11-30', record('2026-11-24T06:30:00Z', 0), tuesday, rules)).toBeNull();
  });
});

describe('daysToAsk', () => {
  const horizon = { timeZone: KYIV, horizonDays: 14 };
  /** Monday 2026-11-23 08:00 Kyiv: the cinemas have published through Wednesday 11-25; later days came back empty. */
  const mondayMorning = new Map<string, DayRecord>(
    dayRange('2026-11-23', 14).map((day) => [
      day,
      { fetchedAt: '2026-11-23T06:00:00Z', showtimes: day <= '2026-11-25' ? 40 : 0 },
    ]),
  );

  it('asks the whole horizon from today when nothing is known', () => {
    expect(daysToAsk(new Map(), { ...horizon, now: at('2026-11-24T08:00:00Z') })).toEqual(dayRange('2026-11-24', 14));
  });

  it('asks nothing on Monday afternoon: the empty days were asked after the last publication and today is fresh', () => {
    expect(daysToAsk(mondayMorning, { ...horizon, now: at('2026-11-23T15:00:00Z') })).toEqual([]);
  });

  it('asks the empty days again once Monday 18:00 has passed, today and tomorrow once 12 h old', () => {
    const published = dayRange('2026-11-26', 11);
    expect(daysToAsk(mondayMorning, { ...horizon, now: at('2026-11-23T16:30:00Z') })).toEqual(published);
    expect(daysToAsk(mondayMorning, { ...horizon, now: at('2026-11-23T18:00:00Z') })).toEqual(published);
    expect(daysToAsk(mondayMorning, { ...horizon, now: at('2026-11-23T18:01:00Z') })).toEqual([
      '2026-11-23',
      '2026-11-24',
      ...published,
    ]);
  });

  it('drops the day that passed and asks the day that came at local midnight', () => {
    // Tuesday 00:10 Kyiv: 11-23 is past; 12-07 enters the horizon; today and tomorrow are 16 h old.
    expect(daysToAsk(mondayMorning, { ...horizon, now: at('2026-11-23T22:10:00Z') })).toEqual([
      '2026-11-24',
      '2026-11-25',
      ...dayRange('2026-11-26', 11),
      '2026-12-07',
    ]);
  });
});
