import winston from 'winston';
import { isSecretField, REDACTED, redactText, redactValue } from './redact.ts';

/**
 * The winston format both packages log through: hides secret-named fields and secrets inside the message and every
 * other field, nested ones included.
 */
export const redactFormat = winston.format((info) => {
  for (const [name, value] of Object.entries(info)) {
    if (name === 'level') continue;
    info[name] = isSecretField(name, value) ? REDACTED : redactValue(value);
  }
  // `log.error(error)` makes the Error itself the entry: its message and stack are not enumerable.
  if (typeof info.message === 'string') info.message = redactText(info.message);
  if (typeof info.stack === 'string') info.stack = redactText(info.stack);
  return info;
});
