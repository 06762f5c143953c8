import { describe, expect, it } from 'vitest';
import { REDACTED, redactText, redactValue } from './redact.ts';

const URI = 'mongodb://app:hunter2@127.0.0.1/db';
const HIDDEN_URI = 'mongodb://app:[REDACTED]@127.0.0.1/db';

describe('redactText', () => {
  it('hides the password of a URI, keeping the user and host', () => {
    expect(redactText(`connecting to ${URI}`)).toBe(`connecting to ${HIDDEN_URI}`);
    expect(redactText('https://user:pass@proxy.example/v1beta')).toBe('https://user:[REDACTED]@proxy.example/v1beta');
  });

  it('hides the value of a secret-looking assignment', () => {
    expect(redactText('started with GEMINI_API_KEY=abc123 and PORT=8001')).toBe(
      'started with GEMINI_API_KEY=[REDACTED] and PORT=8001',
    );
    expect(redactText('SECRET_KEY=0123abcd')).toBe('SECRET_KEY=[REDACTED]');
  });

  it('leaves text without secrets as it is', () => {
    for (const text of ['https://127.0.0.1:8001/healthz', 'mongodb://127.0.0.1:27017/db', 'tokens: 120 of 3000']) {
      expect(redactText(text)).toBe(text);
    }
  });
});

describe('redactValue', () => {
  it('hides secret-named fields at any depth', () => {
    expect(redactValue({ apiKey: 'abc123', db: { password: 'hunter2', name: 'cinestream' } })).toEqual({
      apiKey: REDACTED,
      db: { password: REDACTED, name: 'cinestream' },
    });
  });

  it('keeps numbers and flags under secret-looking names: token counts are not secrets', () => {
    expect(redactValue({ usage: { promptTokenCount: 120, tokens: 7 }, hasKey: true })).toEqual({
      usage: { promptTokenCount: 120, tokens: 7 },
      hasKey: true,
    });
  });

  it('redacts strings inside nested objects and arrays', () => {
    expect(redactValue({ error: URI, store: { target: URI }, tried: [URI] })).toEqual({
      error: HIDDEN_URI,
      store: { target: HIDDEN_URI },
      tried: [HIDDEN_URI],
    });
  });

  it('turns an Error into its name, message and stack, redacted', () => {
    const error = new Error(`cannot reach ${URI}`);
    const shown = redactValue({ error }) as { error: Record<string, unknown> };
    expect(shown.error.name).toBe('Error');
    expect(shown.error.message).toBe(`cannot reach ${HIDDEN_URI}`);
    expect(shown.error.stack).toContain(`cannot reach ${HIDDEN_URI}`);
    expect(JSON.stringify(shown)).not.toContain('hunter2');
    expect(error.message).toBe(`cannot reach ${URI}`);
  });

  it('follows an Error’s cause', () => {
    const error = new Error('store failed', { cause: new Error(`auth failed for ${URI}`) });
    expect(JSON.stringify(redactValue(error))).not.toContain('hunter2');
  });

  it('copies instead of changing what it was given', () => {
    const given = { password: 'hunter2', nested: { error: URI } };
    redactValue(given);
    expect(given).toEqual({ password: 'hunter2', nested: { error: URI } });
  });

  it('leaves class instances to their own JSON form and survives cycles', () => {
    const when = new Date('2026-10-25T00:00:00Z');
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(redactValue({ when, cyclic })).toEqual({ when, cyclic: { name: 'a', self: '[Circular]' } });
  });
});
