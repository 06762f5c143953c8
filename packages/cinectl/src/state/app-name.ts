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

const APP_NAME = /^[a-z][a-z0-9-]{1,31}$/;
const HINT = 'use 2–32 lowercase letters, digits or "-", starting with a letter, e.g. "kyiv-films"';

/** Accepts a valid app name or throws a UsageError saying what is wrong. */
export function validateAppName(name: string): string {
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  if (name.length < 2 || name.length > 32) {
    throw new UsageError(`app name ${shown} must be 2–32 characters long (it has ${name.length})`, HINT);
  }
  if (!/^[a-z0-9-]+$/.test(name)) {
    throw new UsageError(`app name ${shown} may contain only lowercase letters, digits and "-"`, HINT);
  }
  if (!APP_NAME.test(name)) {
    throw new UsageError(`app name ${shown} must start with a letter`, HINT);
  }
  if (name.endsWith('-') || name.includes('--')) {
    throw new UsageError(`app name ${shown} may not end with "-" or contain "--"`, HINT);
  }
  if (RESERVED_APP_NAMES.includes(name)) {
    throw new UsageError(
      `app name ${shown} is reserved`,
      `pick another name (reserved: ${RESERVED_APP_NAMES.join(', ')})`,
    );
  }
  return name;
}
