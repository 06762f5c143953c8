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

  it('redacts the values of secret-looking assignments', () => {
    expect(
      redactAssignments(
        'NODE_ENV=production\nSECRET_KEY=abc\nMONGO_URI=mongodb://u:p@h/db\nGEMINI_API_KEY=k\nPORT=1\n',
      ),
    ).toBe('NODE_ENV=production\nSECRET_KEY=[REDACTED]\nMONGO_URI=[REDACTED]\nGEMINI_API_KEY=[REDACTED]\nPORT=1\n');
  });
});
