import { MONGODB_UNIT, NGINX_UNIT } from './layout.ts';
import { instanceName } from './systemd.ts';
import type { Plan, ServiceAction, Step } from './types.ts';

export interface ServicesInput {
  /** Which of mongodb.service and nginx.service have unit files on the host. */
  mongodb: boolean;
  nginx: boolean;
  apps: { name: string; ports: number[] }[];
}

function appUnits(input: ServicesInput): string[] {
  return input.apps.flatMap((app) => app.ports.map((port) => instanceName(app.name, port)));
}

function steps(units: readonly string[], action: ServiceAction, verb: string): Step[] {
  return units.map((unit) => ({ kind: 'service', title: `${verb} ${unit}`, unit, action }));
}

/** MongoDB first (the workers need it), then the workers, then nginx in front of them. */
function startOrder(input: ServicesInput): string[] {
  return [...(input.mongodb ? [MONGODB_UNIT] : []), ...appUnits(input), ...(input.nginx ? [NGINX_UNIT] : [])];
}

export function startAllPlan(input: ServicesInput): Plan {
  return { title: 'Start everything', steps: steps(startOrder(input), 'start', 'Start') };
}

/** The reverse order: nginx stops taking visitors first, MongoDB goes last. */
export function stopAllPlan(input: ServicesInput): Plan {
  return { title: 'Stop everything', steps: steps(startOrder(input).reverse(), 'stop', 'Stop') };
}

export function enableAutostartPlan(input: ServicesInput): Plan {
  return { title: 'Start everything at boot', steps: steps(startOrder(input), 'enable', 'Enable') };
}
