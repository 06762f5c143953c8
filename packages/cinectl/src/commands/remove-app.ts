import { UsageError } from '../errors.ts';
import { readHostFile } from '../host/facts.ts';
import { NGINX_CONF } from '../plan/layout.ts';
import { removePlan } from '../plan/remove.ts';
import { readMongoSettings } from '../state/mongo-config.ts';
import { leftoverCertificateWarning } from './certificate-advice.ts';
import type { CommandContext } from './context.ts';
import { requireApp } from './find-app.ts';
import { asHostError, hasIssuedCertificate, nginxAppsOf, nginxHost } from './nginx-facts.ts';
import { applyPlan } from './run-plan.ts';

export async function removeApp(ctx: CommandContext, name: string, options: { purge?: boolean }): Promise<void> {
  const { root, yes, dryRun } = ctx.options;
  const { app, apps, broken } = await requireApp(root, name);
  const purge = options.purge ?? false;
  const mongoSettings = purge ? await readMongoSettings(root) : null;
  if (mongoSettings) ctx.print(`${app.name}: its MongoDB database ${app.name} and user ${app.name} are dropped too`);
  if (purge && !yes && !dryRun) {
    const mongo = mongoSettings ? ', MongoDB database' : '';
    const confirmed = await ctx.confirm(`Delete ${app.name}'s releases, .env, data${mongo} and system user for good?`);
    if (!confirmed) {
      throw new UsageError(
        `remove-app ${app.name} --purge deletes the app's data and was not confirmed`,
        'add --yes to confirm, or leave out --purge to keep the data',
      );
    }
  }
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
