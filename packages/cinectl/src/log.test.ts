import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeLogger, createFileLogger } from './log.ts';
import { Sensitive } from './plan/sensitive.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the log file', () => {
  it('is JSON lines in a directory it creates, with secrets redacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cinectl-log-'));
    dirs.push(dir);
    const file = join(dir, 'var/log/cinectl.log');
    const log = createFileLogger(file, { verbose: false });
    log.info('connecting to mongodb://app:pa55word@127.0.0.1:27017/db', { password: 'pa55word' });
    log.info('wrote SECRET_KEY=abcdef0123 to .env', { key: new Sensitive('abcdef0123') });
    log.debug('not at info level');
    await closeLogger(log);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.message)).toEqual([
      'connecting to mongodb://app:[REDACTED]@127.0.0.1:27017/db',
      'wrote SECRET_KEY=[REDACTED] to .env',
    ]);
    expect(lines[0].password).toBe('[REDACTED]');
    expect(lines[1].key).toBe('[REDACTED]');
    expect(readFileSync(file, 'utf8')).not.toMatch(/pa55word|abcdef0123/);
  });

  it('hides URI passwords in any field, nested objects and Errors, and secret assignments in messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cinectl-log-'));
    dirs.push(dir);
    const file = join(dir, 'cinectl.log');
    const log = createFileLogger(file, { verbose: false });
    const uri = 'mongodb://app:hunter2@127.0.0.1/db';
    log.info('wrote GEMINI_API_KEY=abc123 to site.env');
    log.error('command failed', { error: uri, mongo: { target: uri } });
    log.error('plan failed', { reason: new Error(`cannot reach ${uri}`) });
    await closeLogger(log);
    const text = readFileSync(file, 'utf8');
    const [wrote, command, plan] = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(wrote.message).toBe('wrote GEMINI_API_KEY=[REDACTED] to site.env');
    expect(command.error).toBe('mongodb://app:[REDACTED]@127.0.0.1/db');
    expect(command.mongo.target).toBe('mongodb://app:[REDACTED]@127.0.0.1/db');
    expect(plan.reason.message).toBe('cannot reach mongodb://app:[REDACTED]@127.0.0.1/db');
    expect(text).not.toMatch(/hunter2|abc123/);
  });
});
