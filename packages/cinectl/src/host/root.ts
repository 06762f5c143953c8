import { isAbsolute, relative, resolve } from 'node:path';
import { InternalError } from '../errors.ts';
import { Sensitive } from '../plan/sensitive.ts';
import type { Arg, HostPath } from '../plan/types.ts';

/** The real location of a host path under `--root` (`/` when there is no root). */
export function underRoot(root: string, hostPath: string): string {
  if (!isAbsolute(hostPath)) throw new InternalError(`host path must be absolute: ${hostPath}`);
  const full = resolve(root, `.${hostPath}`);
  const inside = relative(resolve(root), full);
  if (inside.startsWith('..') || isAbsolute(inside)) throw new InternalError(`path escapes the root: ${hostPath}`);
  return full;
}

function placed(root: string, arg: HostPath): string {
  return underRoot(root, arg.hostPath);
}

/** The argv the executor runs: host paths placed under the root, secrets revealed. */
export function revealArgv(argv: readonly Arg[], root: string): string[] {
  return argv.map((arg) =>
    typeof arg === 'string' ? arg : arg instanceof Sensitive ? arg.reveal() : placed(root, arg),
  );
}

/** The argv as it may be shown or logged: host paths under the root, secrets as [REDACTED]. */
export function displayArgv(argv: readonly Arg[], root: string): string[] {
  return argv.map((arg) =>
    typeof arg === 'string' ? arg : arg instanceof Sensitive ? arg.toString() : placed(root, arg),
  );
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One command line, each word quoted as a POSIX shell needs it: shown in previews, logs and hints, and written into
 * the certbot deploy hook (plan/domain.ts), a shell script certbot runs. cinectl itself never runs a shell.
 */
export function formatCommand(argv: readonly string[]): string {
  return argv.map((word) => (SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}
