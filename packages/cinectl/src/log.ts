import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { redactFormat } from '@cinestream/redact';
import winston from 'winston';

export type Logger = winston.Logger;

/** How long closeLogger waits for the last lines to reach the disk before it gives up on them. */
const CLOSE_TIMEOUT_MS = 5_000;

/** Creates the log's directory and opens the file for appending once, so a file that cannot be written is known now. */
function openForAppend(file: string): string | undefined {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    closeSync(openSync(file, 'a', 0o640));
    return undefined;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return code ?? message;
  }
}

/**
 * cinectl's log: JSON lines appended to `<root>/var/log/cinectl.log`, never the terminal (the progress display
 * owns it while a plan runs). A log that cannot be opened is one warning through `warn`, and the command goes on
 * without it: its own result and error always reach the terminal.
 */
export function createFileLogger(file: string, options: { verbose: boolean; warn?: (line: string) => void }): Logger {
  const problem = openForAppend(file);
  if (problem !== undefined) {
    options.warn?.(`warning: cannot write the log ${file} (${problem}); going on without it`);
    return createSilentLogger();
  }
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

/** Resolves once every line is on disk, or once the log has failed or timed out: closing never hangs a command. */
export function closeLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    logger.on('finish', done);
    logger.on('error', done);
    for (const transport of logger.transports) transport.on('error', done);
    logger.end();
  });
}
