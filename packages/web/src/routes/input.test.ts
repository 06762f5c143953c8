import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.ts';
import { knownParameters, MAX_QUERY_PARAMETERS, parseDay, parseFilter, parseQuery, parseRange } from './input.ts';

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

describe('huge values', () => {
  it('are refused with a message that quotes only their start', () => {
    try {
      parseDay('9'.repeat(10_000), today);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      expect(String((error as HttpError).vars.value)).toHaveLength(41);
    }
    expect(codeOf(() => parseFilter('a'.repeat(10_000)))).toBe('400 bad_filter');
  });
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

describe('parseQuery', () => {
  it('keeps every parameter, repeated ones as a list, brackets as part of the name', () => {
    const junk = Array.from({ length: 1500 }, (_, i) => `j${i}=`).join('&');
    const query = parseQuery(`${junk}&from=x&a=1&a=2&from%5B%5D=y&q=%20%2B`);
    expect(query.from).toBe('x');
    expect(query.a).toEqual(['1', '2']);
    expect(query['from[]']).toBe('y');
    expect(query.q).toBe(' +');
    expect(Object.keys(query)).toHaveLength(1504);
  });
  it('is not fooled by names of object members', () => {
    const query = parseQuery('__proto__=x&constructor=y');
    expect(Object.entries(query)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
    expect(Object.getPrototypeOf(query)).toBeNull();
  });
});

describe('knownParameters', () => {
  it('returns the known ones and ignores the rest', () =>
    expect(knownParameters({ from: today, utm_source: 'mail', 'x[]': '1' }, ['from', 'to'])).toEqual({ from: today }));
  it.each([['from[]'], ['from[0]'], ['from[a][b]'], ['from.x'], ['to[]']])('refuses %s', (name) =>
    expect(codeOf(() => knownParameters({ [name]: today }, ['from', 'to']))).toBe('400 bad_parameter'),
  );
  it(`refuses more than ${MAX_QUERY_PARAMETERS} parameters, counting repeats`, () => {
    const many = (count: number) => ({ a: Array.from({ length: count - 1 }, () => '1'), from: today });
    expect(codeOf(() => knownParameters(many(MAX_QUERY_PARAMETERS), ['from']))).toBe('accepted');
    expect(codeOf(() => knownParameters(many(MAX_QUERY_PARAMETERS + 1), ['from']))).toBe('400 too_many_parameters');
  });
});
