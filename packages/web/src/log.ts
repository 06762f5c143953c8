import { redactFormat } from '@cinestream/redact';
import winston from 'winston';

export type Logger = winston.Logger;

/** JSON lines in production, readable lines in development; silent in tests unless LOG_LEVEL says otherwise. */
export function createLogger(options: { env: string; level: string }): Logger {
  const format =
    options.env === 'production'
      ? winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json())
      : winston.format.combine(redactFormat(), winston.format.colorize(), winston.format.simple());
  return winston.createLogger({
    level: options.level,
    format,
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn'] })],
    silent: options.env === 'test' && !process.env.LOG_LEVEL,
  });
}
