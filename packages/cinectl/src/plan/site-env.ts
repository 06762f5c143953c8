import { REDACTED, redactText } from '@cinestream/redact';
import { UsageError } from '../errors.ts';

/** Variables cinectl writes into .env itself (or systemd gives): site.env may not override them. */
export const MANAGED_KEYS = new Set(['NODE_ENV', 'HOST', 'PORT', 'BASE_PATH', 'SECRET_KEY', 'DATA_DIR', 'MONGO_URI']);

const KEY = /^[A-Z_][A-Z0-9_]*$/;
/** Names whose values are secrets: shown redacted unless --reveal. */
const SECRET_NAME = /KEY|SECRET|PASSWORD|TOKEN|URI/;

export interface EnvEntry {
  key: string;
  value: string;
}

/** `KEY=value` lines of an environment file, in order; comments and blank lines are not entries. */
export function envEntries(text: string): EnvEntry[] {
  return text.split('\n').flatMap((line) => {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    return match?.[1] === undefined ? [] : [{ key: match[1], value: match[2] ?? '' }];
  });
}

/** A value as `env APP` shows it: secrets (by name, or a password inside a URI) redacted unless revealed. */
export function shownValue(entry: EnvEntry, reveal: boolean): string {
  if (reveal) return entry.value;
  return SECRET_NAME.test(entry.key) && entry.value !== '' ? REDACTED : redactText(entry.value);
}

function checkKey(key: string, app: string): string {
  if (!KEY.test(key)) {
    throw new UsageError(
      `"${key}" is not a variable name: use capital letters, digits and _, starting with a letter`,
      `e.g. cinectl env ${app} set DONATE_URL=https://example.com/donate`,
    );
  }
  if (MANAGED_KEYS.has(key)) {
    throw new UsageError(
      `${key} is set by cinectl in .env and cannot be changed in site.env`,
      `cinectl env ${app} lists the variables site.env may set`,
    );
  }
  return key;
}

/** `KEY=VALUE` arguments of `env APP set`, checked: a name, and a value on one line. */
export function parseAssignments(args: readonly string[], app: string): EnvEntry[] {
  if (args.length === 0) {
    throw new UsageError('env set needs at least one KEY=VALUE', `e.g. cinectl env ${app} set GEMINI_MODEL=flash`);
  }
  return args.map((arg) => {
    const at = arg.indexOf('=');
    if (at < 1) {
      throw new UsageError(`"${arg.split('=')[0]}" is not KEY=VALUE`, `e.g. cinectl env ${app} set GEMINI_MODEL=flash`);
    }
    const key = checkKey(arg.slice(0, at), app);
    const value = arg.slice(at + 1);
    if (/[\n\r\0]/.test(value)) throw new UsageError(`the value of ${key} must be one line`, 'put it on one line');
    return { key, value };
  });
}

export function parseUnsetKeys(args: readonly string[], app: string): string[] {
  if (args.length === 0)
    throw new UsageError('env unset needs at least one KEY', `e.g. cinectl env ${app} unset DONATE_URL`);
  return args.map((key) => checkKey(key, app));
}

/**
 * site.env with `set` applied (a line of the same key changed in place, new keys appended) and `unset` keys'
 * lines removed; comments and other lines stay as they are.
 */
export function editSiteEnv(text: string, change: { set?: EnvEntry[]; unset?: string[] }): string {
  const set = new Map((change.set ?? []).map((entry) => [entry.key, entry.value]));
  const unset = new Set(change.unset ?? []);
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const written = new Set<string>();
  const kept = lines.flatMap((line) => {
    const key = /^\s*([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1];
    if (key === undefined) return [line];
    if (unset.has(key)) return [];
    const value = set.get(key);
    if (value === undefined) return [line];
    if (written.has(key)) return [];
    written.add(key);
    return [`${key}=${value}`];
  });
  for (const [key, value] of set) if (!written.has(key)) kept.push(`${key}=${value}`);
  return kept.length === 0 ? '' : `${kept.join('\n')}\n`;
}
