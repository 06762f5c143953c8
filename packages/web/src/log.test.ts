import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import winston from 'winston';
import { createLogger } from './log.ts';

const URI = 'mongodb://app:hunter2@127.0.0.1/db';

/** The site's logger for `env`, writing to a buffer instead of the console. */
function capture(env: 'production' | 'development') {
  let output = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      output += String(chunk);
      done();
    },
  });
  const log = createLogger({ env, level: 'info' });
  log.clear().add(new winston.transports.Stream({ stream }));
  return { log, output: () => output };
}

describe('the site log', () => {
  for (const env of ['production', 'development'] as const) {
    it(`hides secrets in the ${env} format`, () => {
      const { log, output } = capture(env);
      log.warn('started with GEMINI_API_KEY=abc123');
      log.error('fetching showtimes failed', { city: 'kyiv', error: URI });
      log.error('could not store fetch progress', { store: { target: URI } });
      log.error('request failed', { error: new Error(`cannot reach ${URI}`) });
      log.info('connected', { mongoUri: URI, apiKey: 'abc123' });
      expect(output()).toContain('GEMINI_API_KEY=[REDACTED]');
      expect(output()).toContain('mongodb://app:[REDACTED]@127.0.0.1/db');
      expect(output()).toContain('kyiv');
      expect(output()).not.toMatch(/hunter2|abc123/);
    });
  }

  it('is JSON lines in production', () => {
    const { log, output } = capture('production');
    log.error('fetching showtimes failed', { error: URI });
    expect(JSON.parse(output())).toMatchObject({ level: 'error', error: 'mongodb://app:[REDACTED]@127.0.0.1/db' });
  });
});
