import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.ts';
import { parseChoice, parseSearch } from './page-input.ts';

describe('parseChoice', () => {
  it('takes one of the choices, or nothing', () => {
    expect(parseChoice('late', ['morning', 'late'])).toBe('late');
    expect(parseChoice(undefined, ['late'])).toBeUndefined();
    expect(parseChoice('', ['late'])).toBeUndefined();
  });
  it('refuses anything else with a 400', () => {
    for (const value of ['night', ['late', 'late'], 'LATE']) {
      expect(() => parseChoice(value, ['late'])).toThrow(HttpError);
    }
  });
});

describe('parseSearch', () => {
  it('trims the text; absent is no search', () => {
    expect(parseSearch('  орбіта ')).toBe('орбіта');
    expect(parseSearch(undefined)).toBe('');
  });
  it('refuses long, repeated or control-character input', () => {
    for (const value of ['x'.repeat(101), ['a', 'b'], 'a\u0000b']) {
      expect(() => parseSearch(value)).toThrow(HttpError);
    }
  });
});
