import { unitInstalled } from '../host/facts.ts';
import { MONGODB_UNIT, NGINX_UNIT } from '../plan/layout.ts';
import type { ServicesInput } from '../plan/services.ts';
import { readRegistry } from '../state/registry.ts';
import type { CommandContext } from './context.ts';
import { warnBroken } from './find-app.ts';

/** MongoDB and nginx when installed, and every app's worker instances; broken apps are left out, with a warning. */
export async function servicesOnHost(ctx: CommandContext): Promise<ServicesInput> {
  const { root } = ctx.options;
  const { apps, broken } = await readRegistry(root);
  warnBroken(ctx, broken);
  return {
    mongodb: await unitInstalled(root, MONGODB_UNIT),
    nginx: await unitInstalled(root, NGINX_UNIT),
    apps: apps.map((app) => ({ name: app.name, ports: app.ports })),
  };
}
