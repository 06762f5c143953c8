import { UsageError } from '../errors.ts';
import { validateAppName } from '../state/app-name.ts';
import type { DeployConfig } from '../state/deploy-config.ts';
import { listApps } from '../state/registry.ts';

/** A validated name of an app that exists, with the list of all apps. */
export async function requireApp(root: string, name: string): Promise<{ app: DeployConfig; apps: DeployConfig[] }> {
  const valid = validateAppName(name);
  const apps = await listApps(root);
  const app = apps.find((candidate) => candidate.name === valid);
  if (!app) {
    const known = apps.map((candidate) => candidate.name).join(', ') || 'none yet';
    throw new UsageError(`there is no app named "${valid}"`, `apps on this host: ${known} (cinectl status)`);
  }
  return { app, apps };
}
