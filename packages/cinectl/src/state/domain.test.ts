import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { validateDomain } from './domain.ts';

function refusal(input: string, options: { wildcard?: boolean } = {}): UsageError {
  try {
    validateDomain(input, options);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
}

describe('validateDomain', () => {
  it.each([
    ['films.example.com', 'films.example.com'],
    ['movies.test', 'movies.test'],
    ['a.co', 'a.co'],
    ['x-1.example-2.com', 'x-1.example-2.com'],
    ['123.example.com', '123.example.com'],
    ['films.example.com.', 'films.example.com'],
    ['xn--e1afmkfd.xn--j1amh', 'xn--e1afmkfd.xn--j1amh'],
    ['фільми.укр', 'xn--h1afd4a4b6c.xn--j1amh'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    [`${'a'.repeat(63)}.com`, `${'a'.repeat(63)}.com`],
  ])('accepts %j as %j', (input, stored) => {
    expect(validateDomain(input)).toBe(stored);
  });

  it('accepts a wildcard only with the flag, and keeps it', () => {
    expect(validateDomain('*.example.com', { wildcard: true })).toBe('*.example.com');
    expect(validateDomain('*.фільми.укр', { wildcard: true })).toBe('*.xn--h1afd4a4b6c.xn--j1amh');
    expect(validateDomain('films.example.com', { wildcard: true })).toBe('films.example.com');
  });

  it.each([
    ['', /is empty/],
    ['-a.com', /starts or ends with "-" \("-a"\)/],
    ['a-.com', /starts or ends with "-"/],
    ['a..com', /empty label/],
    ['.a.com', /empty label/],
    ['a.com..', /empty label/],
    ['a.com;reboot', /only letters, digits, "-" and dots/],
    ['a.com reboot', /spaces or control characters/],
    ['a\n.com', /spaces or control characters/],
    ['фa\n.com', /spaces or control characters/],
    ['a_b.com', /only letters, digits/],
    ['localhost', /at least two labels/],
    ['com', /at least two labels/],
    ['1.2.3.4', /looks like an IP address/],
    [`${'a'.repeat(64)}.com`, /label of 64 characters/],
    [`${'a.'.repeat(150)}com`, /is 303 characters long; a domain has at most 253/],
    ['x'.repeat(300), /is 300 characters long/],
    ['*.a.com', /is a wildcard/],
    ['a.*.com', /"\*" only as its whole first label/],
    ['**.a.com', /"\*" only as its whole first label/],
    ['Films.Example.com', /has uppercase letters/],
    ['ФІЛЬМИ.укр', /has uppercase letters/],
  ])('refuses %j', (input, message) => {
    const error = refusal(input);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('shows the lowercase form of an uppercase domain, IDN too', () => {
    expect(refusal('Films.Example.com').hint).toBe('write it in lowercase: films.example.com');
    expect(refusal('ФІЛЬМИ.укр').hint).toBe('write it in lowercase: фільми.укр');
  });

  it('says how to ask for a wildcard', () => {
    expect(refusal('*.a.com').hint).toBe('add --wildcard to serve every subdomain, or give one name such as www.a.com');
  });

  it('shortens very long input in the message', () => {
    expect(refusal('x'.repeat(300)).message).toContain(`"${'x'.repeat(60)}…"`);
  });
});
