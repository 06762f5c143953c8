import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import winston from 'winston';
import { REDACTED } from './plan/sensitive.ts';

export type Logger = winston.Logger;

const SECRET_FIELD = /key|secret|password|token|uri|cookie|authorization|content/i;
const SECRET_IN_TEXT = /(mongodb(?:\+srv)?:\/\/[^:/\s]+:)[^@\s]+@/g;
const SECRET_ASSIGNMENT = /\b([A-Z0-9_]*(?:KEY|SECRET|PASSWORD|TOKEN)[A-Z0-9_]*=)\S+/g;

function hideInText(text: string): string {
  return text.replace(SECRET_IN_TEXT, `$1${REDACTED}@`).replace(SECRET_ASSIGNMENT, `$1${REDACTED}`);
}

/** Hides secret-looking fields, passwords in connection strings and `SECRET_KEY=…` inside messages. */
const redact = winston.format((info) => {
  for (const field of Object.keys(info)) {
    const value = info[field];
    if (SECRET_FIELD.test(field) && field !== 'level') info[field] = REDACTED;
    else if (typeof value === 'string') info[field] = hideInText(value);
  }
  return info;
});

/**
 * cinectl's log: JSON lines appended to `<root>/var/log/cinectl.log`, never the terminal (the progress display
 * owns it while a plan runs).
 */
export function createFileLogger(file: string, options: { verbose: boolean }): Logger {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  return winston.createLogger({
    level: options.verbose ? 'debug' : 'info',
    format: winston.format.combine(redact(), winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.File({ filename: file, options: { flags: 'a', mode: 0o640 } })],
  });
}

/** For dry runs and read-only commands: nothing is written anywhere. */
export function createSilentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}

/** Resolves once every line is on disk. */
export function closeLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    logger.on('finish', () => resolve());
    logger.end();
  });
}
