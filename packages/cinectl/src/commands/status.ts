import { X509Certificate } from 'node:crypto';
import { CinectlError } from '../errors.ts';
import { unitState } from '../host/commands.ts';
import type { StepContext } from '../host/context.ts';
import { listHostDir, readHostFile, unitInstalled } from '../host/facts.ts';
import { isHealthy } from '../host/probes.ts';
import { createSilentLogger } from '../log.ts';
import { appBackupDir, backupsToPrune, backupTimerOf } from '../plan/backup.ts';
import { timerLastRunArgv } from '../plan/certbot.ts';
import { MONGODB_UNIT, NGINX_UNIT } from '../plan/layout.ts';
import { instanceName } from '../plan/systemd.ts';
import { certificateName, issuedLeaf, RENEW_TIMER } from '../plan/tls.ts';
import { currentRelease } from '../state/app-state.ts';
import type { DeployConfig } from '../state/deploy-config.ts';
import { readRegistry } from '../state/registry.ts';
import { certificateNextStep } from './certificate-advice.ts';
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
  /** Days from notBefore to notAfter: 90 today, 64 from 2027-02 and 45 from 2028-02 at Let's Encrypt. */
  lifetimeDays: number;
}

export interface AppStatus {
  name: string;
  domain: string | null;
  url: string;
  ports: number[];
  release: string | null;
  workers: WorkerStatus[];
  certificate: CertificateStatus | null;
  backups?: BackupStatus;
}

export interface BackupStatus {
  /** The daily timer, `cinectl-backup@NAME.timer`, and `systemctl is-enabled` of it (null when it cannot be asked). */
  timer: string;
  enabled: string | null;
  /** The newest backup file in /var/backups/cinestream/NAME, and how many there are. */
  last: string | null;
  count: number;
}

export interface RenewalStatus {
  timer: string;
  /** `systemctl is-enabled` ("enabled", "disabled", …); null when it cannot be asked. */
  enabled: string | null;
  /** When the timer last fired, as systemd prints it; null when never or when it cannot be asked (--root). */
  lastRun: string | null;
}

/** An app directory whose .deploy_config cinectl cannot use (state/registry.ts): what is wrong and what to do. */
export interface BrokenAppStatus {
  name: string;
  file: string;
  problems: string[];
  fix: string;
}

export interface HostStatus {
  root: string;
  mongodb: ServiceStatus;
  nginx: ServiceStatus;
  apps: AppStatus[];
  /** Broken app directories, left alone by every command until fixed. */
  broken: BrokenAppStatus[];
  /** certbot's renewal timer; null while no app has a domain. */
  renewal: RenewalStatus | null;
}

async function serviceStatus(ctx: StepContext, unit: string): Promise<ServiceStatus> {
  const installed = await unitInstalled(ctx.root, unit);
  return { installed, state: installed ? await unitState(ctx, 'is-active', unit) : null };
}

/** Expiry of the CA-issued certificate of a domain, when there is one. */
export async function certificateStatus(root: string, domain: string, now: Date): Promise<CertificateStatus | null> {
  const path = issuedLeaf(domain);
  const pem = await readHostFile(root, path);
  if (pem === null) return null;
  let validTo: string;
  let validFrom: string;
  try {
    ({ validTo, validFrom } = new X509Certificate(pem));
  } catch (error) {
    throw new CinectlError(`${path} is not a PEM certificate`, {
      hint: `let certbot write it again (certbot renew --force-renewal --cert-name ${certificateName(domain)})`,
      cause: error,
    });
  }
  const expires = new Date(validTo);
  return {
    path,
    expires: expires.toISOString(),
    daysLeft: Math.floor((expires.getTime() - now.getTime()) / DAY_MS),
    lifetimeDays: Math.round((expires.getTime() - new Date(validFrom).getTime()) / DAY_MS),
  };
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
  const certificate = app.domain ? await certificateStatus(ctx.root, app.domain, now) : null;
  const timer = backupTimerOf(app.name);
  const files = backupsToPrune(app.name, await listHostDir(ctx.root, appBackupDir(app.name)), 0);
  const backups = {
    timer,
    enabled: await unitState(ctx, 'is-enabled', timer),
    last: files.at(-1) ?? null,
    count: files.length,
  };
  return {
    name: app.name,
    domain: app.domain,
    url: app.domain ? `${certificate ? 'https' : 'http'}://${app.domain}/` : `http://localhost/${app.name}/`,
    ports: app.ports,
    release: await currentRelease(ctx.root, app.name),
    workers,
    certificate,
    backups,
  };
}

async function renewalStatus(ctx: StepContext): Promise<RenewalStatus> {
  const argv = timerLastRunArgv(ctx.root);
  const shown = argv ? await ctx.io.exec(argv) : null;
  const lastRun = shown && !shown.failure && shown.exitCode === 0 ? shown.stdout.trim() : '';
  return {
    timer: RENEW_TIMER,
    enabled: await unitState(ctx, 'is-enabled', RENEW_TIMER),
    lastRun: lastRun === '' || lastRun === 'n/a' ? null : lastRun,
  };
}

export async function hostStatus(ctx: CommandContext): Promise<HostStatus> {
  const step: StepContext = { root: ctx.options.root, io: ctx.io, log: createSilentLogger(), progress: () => {} };
  const now = ctx.clock();
  const { apps, broken } = await readRegistry(step.root);
  return {
    root: step.root,
    mongodb: await serviceStatus(step, MONGODB_UNIT),
    nginx: await serviceStatus(step, NGINX_UNIT),
    apps: await Promise.all(apps.map((app) => appStatus(step, app, now))),
    broken: broken.map(({ dir, file, problems, fix }) => ({ name: dir, file, problems, fix })),
    renewal: apps.some((app) => app.domain) ? await renewalStatus(step) : null,
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
  if (status.apps.length === 0 && status.broken.length === 0) lines.push('', 'No apps yet: cinectl deploy-app NAME');
  for (const app of status.apps) {
    const healthy = app.workers.filter((worker) => worker.healthy).length;
    lines.push(
      '',
      `${app.name}  ${app.url}  ports ${app.ports[0]}–${app.ports.at(-1)}  release ${app.release ?? 'none'}  ${healthy}/${app.workers.length} workers healthy`,
    );
    if (app.domain) lines.push(...domainLines(app.domain, app.certificate));
    if (app.backups) lines.push(backupLine(app.backups));
    for (const worker of app.workers) {
      const state = worker.state ?? (status.root === '/' ? 'unknown' : 'n/a');
      lines.push(
        `  ${worker.unit.padEnd(24)} ${state.padEnd(10)} ${(worker.listening ? 'listening' : 'not listening').padEnd(13)}  ${worker.healthy ? 'healthy' : 'no /healthz answer'}`,
      );
    }
  }
  for (const app of status.broken) {
    lines.push('', `${app.name}  BROKEN: ${app.file} is not valid (${app.problems.join('; ')})`, `  fix: ${app.fix}`);
  }
  if (status.renewal) lines.push('', renewalLine(status.renewal, status.root));
  return lines;
}

/** Less than a third of the certificate's lifetime is left: renewal (due at a third) did not happen. */
export function renewalOverdue(cert: Pick<CertificateStatus, 'daysLeft' | 'lifetimeDays'>): boolean {
  return cert.daysLeft * 3 < cert.lifetimeDays;
}

function backupLine(backups: BackupStatus): string {
  const timer = `${backups.timer} ${backups.enabled ?? 'unknown'}`;
  const last = backups.last ? `last ${backups.last} (${backups.count} kept)` : 'no backup yet';
  return `  backups daily (${timer}), ${last}`;
}

function domainLines(domain: string, cert: CertificateStatus | null): string[] {
  if (!cert) return [`  domain ${domain}, self-signed placeholder only: ${certificateNextStep(domain)}`];
  const lines = [`  domain ${domain}, certificate expires in ${cert.daysLeft} days (${cert.expires.slice(0, 10)})`];
  if (renewalOverdue(cert)) {
    lines.push(
      `  WARNING: the certificate of ${domain} ${cert.daysLeft < 0 ? 'has expired' : `expires in ${cert.daysLeft} days`} and was not renewed: look at journalctl -u certbot-renew.service, then run certbot renew`,
    );
  }
  return lines;
}

function renewalLine(renewal: RenewalStatus, root: string): string {
  const unknown = root === '/' ? 'unknown' : 'n/a under --root';
  return `Renewal  ${renewal.timer} ${renewal.enabled ?? unknown}, last run ${renewal.lastRun ?? (root === '/' ? 'never' : unknown)}`;
}

export async function status(ctx: CommandContext, options: { json?: boolean }): Promise<void> {
  const result = await hostStatus(ctx);
  if (options.json) ctx.print(JSON.stringify(result, null, 2));
  else for (const line of formatStatus(result)) ctx.print(line);
}
