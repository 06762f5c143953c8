import winston from 'winston';

const SECRET_FIELD = /key|secret|password|token|uri|cookie|authorization/i;
const SECRET_IN_TEXT = /(mongodb(?:\+srv)?:\/\/[^:/\s]+:)[^@\s]+@/g;

/** Hides secret-looking fields and passwords inside connection strings. */
const redact = winston.format((info) => {
  for (const field of Object.keys(info)) {
    if (SECRET_FIELD.test(field) && field !== 'level') info[field] = '[REDACTED]';
  }
  if (typeof info.message === 'string') info.message = info.message.replace(SECRET_IN_TEXT, '$1[REDACTED]@');
  return info;
});

export type Logger = winston.Logger;

/** JSON lines in production, readable lines in development; silent in tests unless LOG_LEVEL says otherwise. */
export function createLogger(options: { env: string; level: string }): Logger {
  const format =
    options.env === 'production'
      ? winston.format.combine(redact(), winston.format.timestamp(), winston.format.json())
      : winston.format.combine(redact(), winston.format.colorize(), winston.format.simple());
  return winston.createLogger({
    level: options.level,
    format,
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn'] })],
    silent: options.env === 'test' && !process.env.LOG_LEVEL,
  });
}
