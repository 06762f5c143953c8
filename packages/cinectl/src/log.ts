import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { redactFormat } from '@cinestream/redact';
import winston from 'winston';

export type Logger = winston.Logger;

/**
 * cinectl's log: JSON lines appended to `<root>/var/log/cinectl.log`, never the terminal (the progress display
 * owns it while a plan runs).
 */
export function createFileLogger(file: string, options: { verbose: boolean }): Logger {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  return winston.createLogger({
    level: options.verbose ? 'debug' : 'info',
    format: winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json()),
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
