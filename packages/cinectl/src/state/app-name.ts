import { UsageError } from '../errors.ts';

/**
 * Names an app may not take: system accounts and services it would collide with as a user or unit name, and
 * first path segments the sites already use (languages, API, static files) or that nginx treats specially.
 */
export const RESERVED_APP_NAMES: readonly string[] = [
  // accounts and services on the host
  'root',
  'bin',
  'daemon',
  'nobody',
  'http',
  'nginx',
  'www',
  'www-data',
  'mongodb',
  'mongo',
  'systemd',
  'cinectl',
  'node',
  'git',
  'ftp',
  'mail',
  'postgres',
  'redis',
  // first path segments of the sites and nginx names
  'api',
  'static',
  'assets',
  'public',
  'healthz',
  'default',
  'localhost',
  'current',
  'releases',
  'uk',
  'en',
  'ru',
];

const HINT = 'use 2–32 lowercase letters, digits or "-", starting with a letter, e.g. "kyiv-films"';

/**
 * The one rule for an app name (it becomes a directory, a system account, systemd units, an nginx upstream and a
 * URL path): 2–32 lowercase letters, digits and "-", starting with a letter, no "--", no trailing "-", not reserved.
 * What is wrong with the name, or undefined for a valid one.
 */
export function appNameProblem(name: string): string | undefined {
  if (name.length < 2 || name.length > 32) return `must be 2–32 characters long (it has ${name.length})`;
  if (!/^[a-z0-9-]+$/.test(name)) return 'may contain only lowercase letters, digits and "-"';
  if (!/^[a-z]/.test(name)) return 'must start with a letter';
  if (name.endsWith('-') || name.includes('--')) return 'may not end with "-" or contain "--"';
  if (RESERVED_APP_NAMES.includes(name)) return 'is reserved';
  return undefined;
}

export function isAppName(name: string): boolean {
  return appNameProblem(name) === undefined;
}

/** Accepts a valid app name or throws a UsageError saying what is wrong. */
export function validateAppName(name: string): string {
  const problem = appNameProblem(name);
  if (problem === undefined) return name;
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  const hint = RESERVED_APP_NAMES.includes(name)
    ? `pick another name (reserved: ${RESERVED_APP_NAMES.join(', ')})`
    : HINT;
  throw new UsageError(`app name ${shown} ${problem}`, hint);
}
