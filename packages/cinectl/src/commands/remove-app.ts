import { UsageError } from '../errors.ts';
import { userExists } from '../host/accounts.ts';
import { hostPathExists, readHostFile } from '../host/facts.ts';
import { appPaths, NGINX_CONF } from '../plan/layout.ts';
import { purgeLeftoversPlan, removePlan } from '../plan/remove.ts';
import { validateAppName } from '../state/app-name.ts';
import { readMongoSettings } from '../state/mongo-config.ts';
import { readRegistry } from '../state/registry.ts';
import { leftoverCertificateWarning } from './certificate-advice.ts';
import type { CommandContext } from './context.ts';
import { requireApp } from './find-app.ts';
import { asHostError, hasIssuedCertificate, nginxAppsOf, nginxHost } from './nginx-facts.ts';
import { applyPlan } from './run-plan.ts';

/** What a plain remove-app leaves of an app no longer registered: its directory (.env, releases), data, account. */
async function hasLeftovers(root: string, app: string): Promise<boolean> {
  const paths = appPaths(app);
  const { apps, broken } = await readRegistry(root);
  if (apps.some((entry) => entry.name === app) || broken.some((entry) => entry.dir === app)) return false;
  const left = await Promise.all([
    hostPathExists(root, paths.envFile),
    hostPathExists(root, paths.releasesDir),
    hostPathExists(root, paths.dataDir),
  ]);
  return left.some(Boolean) || ((await userExists(root, app)) && (await hostPathExists(root, paths.appDir)));
}

async function confirmPurge(ctx: CommandContext, app: string, mongo: boolean): Promise<void> {
  const { yes, dryRun } = ctx.options;
  if (yes || dryRun) return;
  const confirmed = await ctx.confirm(
    `Delete ${app}'s releases, .env, data${mongo ? ', MongoDB database' : ''} and system user for good?`,
  );
  if (!confirmed) {
    throw new UsageError(
      `remove-app ${app} --purge deletes the app's data and was not confirmed`,
      'add --yes to confirm, or leave out --purge to keep the data',
    );
  }
}

export async function removeApp(ctx: CommandContext, name: string, options: { purge?: boolean }): Promise<void> {
  const { root } = ctx.options;
  const purge = options.purge ?? false;
  const valid = validateAppName(name);
  if (purge && (await hasLeftovers(root, valid))) {
    const mongoSettings = await readMongoSettings(root);
    await confirmPurge(ctx, valid, mongoSettings !== null);
    await applyPlan(ctx, purgeLeftoversPlan({ app: valid, ...(mongoSettings ? { mongoSettings } : {}) }));
    return;
  }
  const { app, apps, broken } = await requireApp(root, name);
  const mongoSettings = purge ? await readMongoSettings(root) : null;
  if (mongoSettings) ctx.print(`${app.name}: its MongoDB database ${app.name} and user ${app.name} are dropped too`);
  if (purge) await confirmPurge(ctx, app.name, mongoSettings !== null);
  let plan: ReturnType<typeof removePlan>;
  try {
    plan = removePlan({
      app: app.name,
      ports: app.ports,
      otherApps: nginxAppsOf(
        root,
        apps.filter((other) => other.name !== app.name),
      ),
      nginxConf: await readHostFile(root, NGINX_CONF),
      nginx: nginxHost(root, broken),
      purge,
      ...(mongoSettings ? { mongoSettings } : {}),
    });
  } catch (error) {
    asHostError(error, 'fix the file named in the message and run remove-app again');
  }
  await applyPlan(ctx, plan);
  if (app.domain && hasIssuedCertificate(root, app.domain)) ctx.warn(leftoverCertificateWarning(app.domain));
}
