import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import winston from 'winston';
import { redactFormat } from './format.ts';

const URI = 'mongodb://app:hunter2@127.0.0.1/db';

/** A JSON-lines logger through the redaction, and the lines it wrote. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = winston.createLogger({
    format: winston.format.combine(redactFormat(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream })],
  });
  return { log, lines };
}

describe('redactFormat', () => {
  it('hides secrets in the message, in any field, nested or not, and in secret-named fields', () => {
    const { log, lines } = capture();
    log.info('started with GEMINI_API_KEY=abc123');
    log.error('fetching showtimes failed', { error: URI, store: { target: URI }, password: 'hunter2' });
    const [started, failed] = lines.map((line) => JSON.parse(line));
    expect(started.message).toBe('started with GEMINI_API_KEY=[REDACTED]');
    expect(failed).toMatchObject({
      error: 'mongodb://app:[REDACTED]@127.0.0.1/db',
      store: { target: 'mongodb://app:[REDACTED]@127.0.0.1/db' },
      password: '[REDACTED]',
    });
    expect(lines.join('')).not.toMatch(/hunter2|abc123/);
  });

  it('hides a URI password in an Error, logged alone, as metadata or inside a field', () => {
    const { log, lines } = capture();
    const error = new Error(`cannot reach ${URI}`);
    log.error(error);
    log.error('request failed', error);
    log.error('request failed', { error });
    expect(lines).toHaveLength(3);
    expect(lines.join('')).toContain('mongodb://app:[REDACTED]@127.0.0.1/db');
    expect(lines.join('')).not.toContain('hunter2');
  });
});
