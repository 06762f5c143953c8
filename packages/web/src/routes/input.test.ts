import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.ts';
import { parseDay, parseFilter, parseRange } from './input.ts';

const today = '2026-11-24';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) return `${error.status} ${error.code}`;
    throw error;
  }
  return 'accepted';
}

describe('parseDay', () => {
  it('falls back when absent', () => expect(parseDay(undefined, today)).toBe(today));
  it('keeps a real day', () => expect(parseDay('2026-12-01', today)).toBe('2026-12-01'));
  it.each([['2026-02-30'], ['tomorrow'], [['2026-11-24', '2026-11-25']], ['2026-11-24; DROP']])('refuses %j', (value) =>
    expect(codeOf(() => parseDay(value, today))).toBe('400 bad_date'),
  );
});

describe('parseRange', () => {
  it('defaults to the 14-day horizon from today', () =>
    expect(parseRange({}, today)).toEqual({ from: today, to: '2026-12-07' }));
  it('accepts one day', () =>
    expect(parseRange({ from: today, to: today }, today)).toEqual({ from: today, to: today }));
  it('refuses a reversed range', () =>
    expect(codeOf(() => parseRange({ from: '2026-11-25', to: today }, today))).toBe('400 bad_range'));
  it('refuses more than 14 days', () =>
    expect(codeOf(() => parseRange({ from: today, to: '2026-12-08' }, today))).toBe('400 bad_range'));
});

describe('parseFilter', () => {
  it('keeps theater keys and formats', () => {
    expect(parseFilter('kyiv-sample-1')).toBe('kyiv-sample-1');
    expect(parseFilter('IMAX')).toBe('IMAX');
    expect(parseFilter('')).toBeUndefined();
  });
  it.each([['<script>'], ['a'.repeat(65)], [['2D', '3D']]])('refuses %j', (value) =>
    expect(codeOf(() => parseFilter(value))).toBe('400 bad_filter'),
  );
});
