import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { RESERVED_APP_NAMES, validateAppName } from './app-name.ts';

describe('validateAppName', () => {
  it.each(['ab', 'myapp', 'kyiv-films', 'a1', 'x2-y3', 'a'.repeat(32)])('accepts %s', (name) => {
    expect(validateAppName(name)).toBe(name);
  });

  it.each([
    ['../x', /only lowercase letters, digits and "-"/],
    ['A', /2–32 characters/],
    ['a;b', /only lowercase letters/],
    ['a'.repeat(200), /2–32 characters long \(it has 200\)/],
    ['a'.repeat(33), /it has 33/],
    ['MyApp', /only lowercase/],
    ['1app', /must start with a letter/],
    ['-app', /must start with a letter/],
    ['app-', /may not end with "-"/],
    ['my--app', /contain "--"/],
    ['my app', /only lowercase/],
    ['my_app', /only lowercase/],
    ['app\n', /only lowercase/],
    ['nginx', /reserved/],
    ['uk', /reserved/],
    ['api', /reserved/],
    ['cinectl', /reserved/],
  ])('refuses %j', (name, message) => {
    let error: unknown;
    try {
      validateAppName(name);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).message).not.toContain('\n');
  });

  it('reserves every name it documents, and each of them is otherwise a valid name', () => {
    for (const name of RESERVED_APP_NAMES) {
      expect(name).toMatch(/^[a-z][a-z0-9-]{1,31}$/);
      expect(() => validateAppName(name)).toThrow(/reserved/);
    }
  });

  it('shortens a very long name in the message', () => {
    expect(() => validateAppName('b'.repeat(200))).toThrow(`"${'b'.repeat(40)}…"`);
  });
});
