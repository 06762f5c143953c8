import { describe, expect, it } from 'vitest';
import { redactCommandLine } from './audit.ts';

describe('redactCommandLine', () => {
  it('hides every value given as KEY=VALUE and secrets in URIs, quotes what needs it', () => {
    expect(
      redactCommandLine(['env', 'films', 'set', 'GEMINI_API_KEY=abc', 'SITE_NAME=Films', '--root', '/tmp/a b']),
    ).toBe('env films set GEMINI_API_KEY=[REDACTED] SITE_NAME=[REDACTED] --root "/tmp/a b"');
    expect(redactCommandLine(['x', 'mongodb://app:hunter2@127.0.0.1/db'])).toBe(
      'x mongodb://app:[REDACTED]@127.0.0.1/db',
    );
  });
});
