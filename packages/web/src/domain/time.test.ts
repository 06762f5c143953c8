import { describe, expect, it } from 'vitest';
import { addDays, dayRange, daysBetween, isDay, localIso, todayIn } from './time.ts';

describe('isDay', () => {
  it.each(['2026-11-24', '2024-02-29', '2026-12-31'])('accepts %s', (day) => expect(isDay(day)).toBe(true));
  it.each(['2026-02-29', '2026-13-01', '2026-11-31', '2026-1-05', '26-11-24', '2026-11-24T00:00', '', 'today'])(
    'refuses %s',
    (day) => expect(isDay(day)).toBe(false),
  );
});

describe('day arithmetic', () => {
  it('crosses month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-12-25', '2027-01-07')).toBe(13);
    expect(dayRange('2026-12-30', 3)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01']);
  });
});

describe('todayIn', () => {
  it('uses the city clock, not UTC', () => {
    expect(todayIn('Europe/Kyiv', new Date('2026-11-24T22:30:00Z'))).toBe('2026-11-25');
    expect(todayIn('Europe/Kyiv', new Date('2026-11-24T21:59:00Z'))).toBe('2026-11-24');
  });
});

describe('localIso', () => {
  it('writes winter and summer offsets for Kyiv', () => {
    expect(localIso('2026-11-24', '19:30', 'Europe/Kyiv')).toBe('2026-11-24T19:30:00+02:00');
    expect(localIso('2026-07-01', '10:00', 'Europe/Kyiv')).toBe('2026-07-01T10:00:00+03:00');
  });
  it('is right on DST change days', () => {
    // Kyiv moves to summer time on 2026-03-29 at 03:00 and back on 2026-10-25 at 04:00.
    expect(localIso('2026-03-29', '01:00', 'Europe/Kyiv')).toBe('2026-03-29T01:00:00+02:00');
    expect(localIso('2026-03-29', '12:00', 'Europe/Kyiv')).toBe('2026-03-29T12:00:00+03:00');
    expect(localIso('2026-10-25', '01:00', 'Europe/Kyiv')).toBe('2026-10-25T01:00:00+03:00');
    expect(localIso('2026-10-25', '12:00', 'Europe/Kyiv')).toBe('2026-10-25T12:00:00+02:00');
  });
  it('names the same instant it writes', () => {
    const iso = localIso('2026-11-24', '19:30', 'Europe/Kyiv');
    expect(new Date(iso).toISOString()).toBe('2026-11-24T17:30:00.000Z');
  });
});
