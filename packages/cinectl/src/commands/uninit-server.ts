import { CinectlError, UsageError } from '../errors.ts';
import { userExists } from '../host/accounts.ts';
import { hostPathExists, readHostFile, unitInstalled } from '../host/facts.ts';
import { gatherMongoFacts } from '../host/mongo-facts.ts';
import { installedPackages } from '../host/server-facts.ts';
import { appPaths, MONGODB_UNIT, NGINX_CONF, NGINX_UNIT } from '../plan/layout.ts';
import { mongoBackupDir } from '../plan/mongo.ts';
import { releaseName } from '../plan/release.ts';
import { REMOVABLE_PACKAGES, uninitPlan, writesBackup } from '../plan/uninit-server.ts';
import { BUILD_USER } from '../plan/yay.ts';
import { type BrokenApp, describeBroken, readRegistry } from '../state/registry.ts';
import type { CommandContext } from './context.ts';
import { nginxHost } from './nginx-facts.ts';
import { applyPlan } from './run-plan.ts';

export interface UninitOptions {
  purgeData?: boolean;
}

function question(apps: string[], removePackages: boolean, purgeData: boolean, backupDir: string): string {
  const which = apps.length > 0 ? `every app (${apps.join(', ')})` : 'every app (there are none)';
  const parts = [`Remove ${which}: units, nginx files, /var/www directories, and cinectl's build account`];
  if (removePackages) parts.push(`the MongoDB and nginx packages (after a backup to ${backupDir})`);
  if (purgeData) parts.push("and DELETE the apps' data directories, databases and accounts for good");
  return `${parts.join('; ')}?`;
}

/** uninit-server removes every app, so it has to know them all: a broken one is fixed or moved away first. */
function refuseAnyBroken(broken: readonly BrokenApp[]): void {
  const [first, ...more] = broken;
  if (!first) return;
  const others = more.length > 0 ? ` (broken too: ${more.map((entry) => entry.file).join(', ')})` : '';
  throw new CinectlError(`${describeBroken(first)}${others}; nothing was changed`, {
    hint: `${first.fix}, then run uninit-server again: it removes every app, so it needs to know each one's ports`,
  });
}

/**
 * uninit-server [yes] [--purge-data]: takes the host back to before init-server for a redeployment. Asks first
 * unless --yes; without a terminal it cannot ask and refuses.
 */
export async function uninitServer(
  ctx: CommandContext,
  packages: string | undefined,
  options: UninitOptions,
): Promise<void> {
  if (packages !== undefined && packages !== 'yes') {
    throw new UsageError(
      `uninit-server takes only the word "yes" (got ${JSON.stringify(packages)})`,
      'cinectl uninit-server removes the apps; cinectl uninit-server yes also removes the MongoDB and nginx packages',
    );
  }
  const removePackages = packages === 'yes';
  const purgeData = options.purgeData ?? false;
  const { root, yes, dryRun } = ctx.options;
  const { apps, broken } = await readRegistry(root);
  refuseAnyBroken(broken);
  const names = apps.map((app) => app.name);
  const backupDir = mongoBackupDir(releaseName(ctx.clock(), []));

  if (!yes && !dryRun && !(await ctx.confirm(question(names, removePackages, purgeData, backupDir)))) {
    throw new UsageError(
      'uninit-server was not confirmed; nothing was changed',
      'answer y at the question, or add --yes when there is no terminal to ask on (look first with --dry-run)',
    );
  }

  const siteEnvs = new Map<string, string>();
  const appsWithData: string[] = [];
  for (const name of names) {
    const content = await readHostFile(root, appPaths(name).siteEnv);
    if (content !== null) siteEnvs.set(name, content);
    if (await hostPathExists(root, appPaths(name).dataDir)) appsWithData.push(name);
  }
  const plan = uninitPlan({
    root,
    apps: apps.map((app) => ({ name: app.name, ports: app.ports })),
    nginxConf: await readHostFile(root, NGINX_CONF),
    nginx: nginxHost(root),
    removePackages,
    purgeData,
    mongo: await gatherMongoFacts(ctx),
    backupDir,
    siteEnvs,
    appsWithData,
    installed: removePackages ? await installedPackages(ctx, REMOVABLE_PACKAGES) : [],
    units: { mongodb: await unitInstalled(root, MONGODB_UNIT), nginx: await unitInstalled(root, NGINX_UNIT) },
    buildUserExists: await userExists(root, BUILD_USER),
  });
  const backup = writesBackup(plan, backupDir);
  if (backup)
    ctx.print(`Backups (databases, data directories, site.env files) ${dryRun ? 'would go' : 'go'} to ${backupDir}/`);
  await applyPlan(ctx, plan);
  if (backup && !dryRun) {
    ctx.print(`Backups are in ${backupDir}/ (a database comes back with mongorestore --gzip --archive=FILE)`);
  }
  if (!purgeData && names.length > 0) {
    ctx.print(`Kept: the data in ${names.map((name) => appPaths(name).dataDir).join(', ')} and the MongoDB databases`);
  }
}
