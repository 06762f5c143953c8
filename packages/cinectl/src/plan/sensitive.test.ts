import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactAssignments, redactSecrets, Sensitive } from './sensitive.ts';

describe('Sensitive', () => {
  const secret = new Sensitive('hunter2-hunter2');

  it('shows [REDACTED] wherever it is printed, logged or encoded', () => {
    expect(String(secret)).toBe('[REDACTED]');
    expect(`${secret}`).toBe('[REDACTED]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[REDACTED]"}');
    expect(inspect({ secret })).toBe('{ secret: [REDACTED] }');
    expect(secret.reveal()).toBe('hunter2-hunter2');
  });

  it('redacts known values inside text', () => {
    expect(redactSecrets('a hunter2-hunter2 b hunter2-hunter2', [secret])).toBe('a [REDACTED] b [REDACTED]');
    expect(redactSecrets('nothing here', [secret, new Sensitive('')])).toBe('nothing here');
  });

  it('redacts a value also where JSON or a URI escaped it', () => {
    const quoted = new Sensitive('a"b\\c/d e');
    const json = `{"password": ${JSON.stringify(quoted.reveal())}}`;
    expect(json).toBe('{"password": "a\\"b\\\\c/d e"}');
    expect(redactSecrets(json, [quoted])).toBe('{"password": "[REDACTED]"}');
    expect(redactSecrets(`mongodb://u:${encodeURIComponent(quoted.reveal())}@h/db`, [quoted])).toBe(
      'mongodb://u:[REDACTED]@h/db',
    );
    // A value ending in a backslash: its escaped form holds the plain one, and no backslash may be left over.
    const trailing = new Sensitive('secret\\');
    expect(redactSecrets(`password: ${JSON.stringify(trailing.reveal())}`, [trailing])).toBe('password: "[REDACTED]"');
  });

  it('redacts the values of secret-looking assignments', () => {
    expect(
      redactAssignments(
        'NODE_ENV=production\nSECRET_KEY=abc\nMONGO_URI=mongodb://u:p@h/db\nGEMINI_API_KEY=k\nPORT=1\n',
      ),
    ).toBe('NODE_ENV=production\nSECRET_KEY=[REDACTED]\nMONGO_URI=[REDACTED]\nGEMINI_API_KEY=[REDACTED]\nPORT=1\n');
  });
});
