import { X509Certificate } from 'node:crypto';
import { unitState } from '../host/commands.ts';
import type { StepContext } from '../host/context.ts';
import { readHostFile, unitInstalled } from '../host/facts.ts';
import { isHealthy } from '../host/probes.ts';
import { createSilentLogger } from '../log.ts';
import { certificatePath, MONGODB_UNIT, NGINX_UNIT } from '../plan/layout.ts';
import { instanceName } from '../plan/systemd.ts';
import { currentRelease } from '../state/app-state.ts';
import type { DeployConfig } from '../state/deploy-config.ts';
import { listApps } from '../state/registry.ts';
import type { CommandContext } from './context.ts';

const DAY_MS = 86_400_000;
const PROBE_TIMEOUT_MS = 2_000;

export interface ServiceStatus {
  installed: boolean;
  /** `systemctl is-active` ("active", "failed", …); null when it cannot be asked (--root, no systemd). */
  state: string | null;
}

export interface WorkerStatus {
  port: number;
  unit: string;
  state: string | null;
  listening: boolean;
  healthy: boolean;
}

export interface CertificateStatus {
  path: string;
  expires: string;
  daysLeft: number;
}

export interface AppStatus {
  name: string;
  domain: string | null;
  url: string;
  ports: number[];
  release: string | null;
  workers: WorkerStatus[];
  certificate: CertificateStatus | null;
}

export interface HostStatus {
  root: string;
  mongodb: ServiceStatus;
  nginx: ServiceStatus;
  apps: AppStatus[];
}

async function serviceStatus(ctx: StepContext, unit: string): Promise<ServiceStatus> {
  const installed = await unitInstalled(ctx.root, unit);
  return { installed, state: installed ? await unitState(ctx, 'is-active', unit) : null };
}

/** Expiry of the Let's Encrypt certificate of a domain, when there is one. */
export async function certificateStatus(root: string, domain: string, now: Date): Promise<CertificateStatus | null> {
  const path = certificatePath(domain);
  const pem = await readHostFile(root, path);
  if (pem === null) return null;
  const expires = new Date(new X509Certificate(pem).validTo);
  return { path, expires: expires.toISOString(), daysLeft: Math.floor((expires.getTime() - now.getTime()) / DAY_MS) };
}

async function appStatus(ctx: StepContext, app: DeployConfig, now: Date): Promise<AppStatus> {
  const workers = await Promise.all(
    app.ports.map(async (port): Promise<WorkerStatus> => {
      const unit = instanceName(app.name, port);
      const [state, listening, healthy] = await Promise.all([
        unitState(ctx, 'is-active', unit),
        ctx.io.isListening(port, PROBE_TIMEOUT_MS),
        isHealthy(ctx, port, PROBE_TIMEOUT_MS),
      ]);
      return { port, unit, state, listening, healthy };
    }),
  );
  return {
    name: app.name,
    domain: app.domain,
    url: app.domain ? `http://${app.domain}/` : `http://localhost/${app.name}/`,
    ports: app.ports,
    release: await currentRelease(ctx.root, app.name),
    workers,
    certificate: app.domain ? await certificateStatus(ctx.root, app.domain, now) : null,
  };
}

export async function hostStatus(ctx: CommandContext): Promise<HostStatus> {
  const step: StepContext = { root: ctx.options.root, io: ctx.io, log: createSilentLogger(), progress: () => {} };
  const now = ctx.clock();
  const apps = await listApps(step.root);
  return {
    root: step.root,
    mongodb: await serviceStatus(step, MONGODB_UNIT),
    nginx: await serviceStatus(step, NGINX_UNIT),
    apps: await Promise.all(apps.map((app) => appStatus(step, app, now))),
  };
}

function stateText(service: ServiceStatus, root: string): string {
  if (!service.installed) return 'not installed';
  return service.state ?? (root === '/' ? 'unknown' : 'n/a under --root');
}

/** The status as lines for a terminal. */
export function formatStatus(status: HostStatus): string[] {
  const lines = [
    `MongoDB  ${stateText(status.mongodb, status.root)}`,
    `nginx    ${stateText(status.nginx, status.root)}`,
  ];
  if (status.apps.length === 0) lines.push('', 'No apps yet: cinectl deploy-app NAME');
  for (const app of status.apps) {
    const healthy = app.workers.filter((worker) => worker.healthy).length;
    lines.push(
      '',
      `${app.name}  ${app.url}  ports ${app.ports[0]}–${app.ports.at(-1)}  release ${app.release ?? 'none'}  ${healthy}/${app.workers.length} workers healthy`,
    );
    if (app.domain) {
      const cert = app.certificate;
      lines.push(
        `  domain ${app.domain}, ${cert ? `certificate expires in ${cert.daysLeft} days (${cert.expires.slice(0, 10)})` : 'no certificate'}`,
      );
    }
    for (const worker of app.workers) {
      const state = worker.state ?? (status.root === '/' ? 'unknown' : 'n/a');
      lines.push(
        `  ${worker.unit.padEnd(24)} ${state.padEnd(10)} ${(worker.listening ? 'listening' : 'not listening').padEnd(13)}  ${worker.healthy ? 'healthy' : 'no /healthz answer'}`,
      );
    }
  }
  return lines;
}

export async function status(ctx: CommandContext, options: { json?: boolean }): Promise<void> {
  const result = await hostStatus(ctx);
  if (options.json) ctx.print(JSON.stringify(result, null, 2));
  else for (const line of formatStatus(result)) ctx.print(line);
}
