import { unitInstalled } from '../host/facts.ts';
import { MONGODB_UNIT, NGINX_UNIT } from '../plan/layout.ts';
import type { ServicesInput } from '../plan/services.ts';
import { listApps } from '../state/registry.ts';

/** MongoDB and nginx when installed, and every app's worker instances. */
export async function servicesOnHost(root: string): Promise<ServicesInput> {
  return {
    mongodb: await unitInstalled(root, MONGODB_UNIT),
    nginx: await unitInstalled(root, NGINX_UNIT),
    apps: (await listApps(root)).map((app) => ({ name: app.name, ports: app.ports })),
  };
}
