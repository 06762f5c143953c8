import { Sensitive } from '../plan/sensitive.ts';
import type { StepEnv } from '../plan/types.ts';
import { formatCommand } from './root.ts';

/** The environment a command gets: secrets revealed. */
export function revealEnv(env: StepEnv | undefined): Record<string, string> | undefined {
  if (!env) return undefined;
  return Object.fromEntries(
    Object.entries(env).map(([name, value]) => [name, value instanceof Sensitive ? value.reveal() : value]),
  );
}

/** `NAME=value …` in front of a printed command, secrets as [REDACTED]; empty without an environment. */
export function displayEnv(env: StepEnv | undefined): string {
  if (!env) return '';
  return Object.entries(env)
    .map(([name, value]) => `${formatCommand([`${name}=${String(value)}`])} `)
    .join('');
}

/** Only the names, for the log. */
export function envNames(env: StepEnv | undefined): string[] | undefined {
  return env ? Object.keys(env) : undefined;
}
