import { UsageError } from '../errors.ts';
import { validateAppName } from '../state/app-name.ts';
import type { DeployConfig } from '../state/deploy-config.ts';
import { type BrokenApp, brokenAppError, describeBroken, readRegistry } from '../state/registry.ts';
import type { CommandContext } from './context.ts';

export interface FoundApp {
  app: DeployConfig;
  /** Every usable app, this one included. */
  apps: DeployConfig[];
  /** The app directories whose .deploy_config is broken: left alone. */
  broken: BrokenApp[];
}

/** A validated name of an app that exists, with the list of all apps; a broken app is refused, saying what to fix. */
export async function requireApp(root: string, name: string): Promise<FoundApp> {
  const valid = validateAppName(name);
  const { apps, broken } = await readRegistry(root);
  const app = apps.find((candidate) => candidate.name === valid);
  if (!app) {
    refuseBroken(broken, valid);
    const known = apps.map((candidate) => candidate.name).join(', ') || 'none yet';
    throw new UsageError(`there is no app named "${valid}"`, `apps on this host: ${known} (cinectl status)`);
  }
  return { app, apps, broken };
}

/** Refuses to act on the app of a broken directory. */
export function refuseBroken(broken: readonly BrokenApp[], name: string): void {
  const entry = broken.find((candidate) => candidate.dir === name);
  if (entry) throw brokenAppError(entry);
}

/** Tells the operator which broken apps a command leaves alone. */
export function warnBroken(ctx: CommandContext, broken: readonly BrokenApp[]): void {
  for (const entry of broken) {
    ctx.warn(`warning: ${describeBroken(entry)}; ${entry.dir} is left as it is — hint: ${entry.fix}`);
  }
}
