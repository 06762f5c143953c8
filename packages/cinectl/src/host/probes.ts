import { access, stat } from 'node:fs/promises';
import { systemctlShow } from '../plan/argv.ts';
import { pacmanDeptest } from '../plan/packages.ts';
import type { Probe } from '../plan/types.ts';
import { userExists } from './accounts.ts';
import type { StepContext } from './context.ts';
import { displayArgv, formatCommand, revealArgv, underRoot } from './root.ts';
import { displayEnv, revealEnv } from './step-env.ts';

const POLL_MS = 250;

/** "300 ms", "30 s". */
export function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** True when 127.0.0.1:port answers GET /healthz with 200 and status "ok". */
export async function isHealthy(ctx: Pick<StepContext, 'io'>, port: number, timeoutMs = 2_000): Promise<boolean> {
  const response = await ctx.io.httpGet(`http://127.0.0.1:${port}/healthz`, timeoutMs);
  if (response?.status !== 200) return false;
  try {
    return (JSON.parse(response.body) as { status?: unknown }).status === 'ok';
  } catch {
    return false;
  }
}

/** Asks `attempt` (given at most 2 s each time) until it says yes or the time is up. */
async function pollUntil(
  ctx: Pick<StepContext, 'io'>,
  timeoutMs: number,
  attempt: (attemptTimeoutMs: number) => Promise<boolean>,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await attempt(Math.min(2_000, Math.max(1, deadline - Date.now())))) return true;
    if (Date.now() >= deadline) return false;
    await ctx.io.sleep(POLL_MS);
  }
}

/** Polls /healthz until it answers or the time is up. */
export function waitHealthy(ctx: Pick<StepContext, 'io'>, port: number, timeoutMs: number): Promise<boolean> {
  return pollUntil(ctx, timeoutMs, (attemptMs) => isHealthy(ctx, port, attemptMs));
}

/** Polls until something accepts TCP connections on 127.0.0.1:port or the time is up. */
export function waitListening(ctx: Pick<StepContext, 'io'>, port: number, timeoutMs: number): Promise<boolean> {
  return pollUntil(ctx, timeoutMs, (attemptMs) => ctx.io.isListening(port, attemptMs));
}

async function commandSucceeds(probe: Extract<Probe, { kind: 'command-succeeds' }>, ctx: StepContext) {
  const env = revealEnv(probe.env);
  const result = await ctx.io.exec(revealArgv(probe.argv, ctx.root), {
    ...(env ? { env } : {}),
    ...(probe.timeoutMs ? { timeoutMs: probe.timeoutMs } : {}),
  });
  return result.exitCode === 0 && !result.failure;
}

/** "Fri 2025-03-14 09:15:00.123456 UTC" (systemctl show --timestamp=us+utc) in microseconds since 1970. */
export function systemdMicros(text: string): number | null {
  const match = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))? UTC$/.exec(text.trim());
  if (!match) return null;
  const seconds = Date.parse(`${match[1]}T${match[2]}Z`);
  return Number.isNaN(seconds) ? null : seconds * 1000 + Number((match[3] ?? '').padEnd(6, '0'));
}

const RUNNING = new Set(['active', 'reloading']);

async function unitStartedAfter(probe: Extract<Probe, { kind: 'unit-started-after' }>, ctx: StepContext) {
  const result = await ctx.io.exec(systemctlShow(probe.unit, ['ActiveState', 'ActiveEnterTimestamp']));
  if (result.exitCode !== 0 || result.failure) return false;
  const properties = new Map(
    result.stdout.split('\n').map((line): [string, string] => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)];
    }),
  );
  if (!RUNNING.has(properties.get('ActiveState') ?? '')) return true;
  const since = systemdMicros(properties.get('ActiveEnterTimestamp') ?? '');
  const changed = await stat(underRoot(ctx.root, probe.path), { bigint: true }).then(
    (stats) => Number(stats.mtimeNs / 1000n),
    () => null,
  );
  return since !== null && changed !== null && since > changed;
}

export async function probeHolds(probe: Probe, ctx: StepContext): Promise<boolean> {
  switch (probe.kind) {
    case 'path-exists':
      return access(underRoot(ctx.root, probe.path)).then(
        () => true,
        () => false,
      );
    case 'user-exists':
      return userExists(ctx.root, probe.user);
    case 'healthz':
      return waitHealthy(ctx, probe.port, probe.timeoutMs);
    case 'tcp-listening':
      return waitListening(ctx, probe.port, probe.timeoutMs);
    case 'command-succeeds':
      return commandSucceeds(probe, ctx);
    case 'packages-installed': {
      const result = await ctx.io.exec(pacmanDeptest(probe.packages, ctx.root));
      return result.exitCode === 0 && !result.failure;
    }
    case 'unit-started-after':
      return unitStartedAfter(probe, ctx);
  }
}

export function describeProbe(probe: Probe): string {
  switch (probe.kind) {
    case 'path-exists':
      return `${probe.path} exists`;
    case 'user-exists':
      return `the account ${probe.user} exists`;
    case 'healthz':
      return `http://127.0.0.1:${probe.port}/healthz answers within ${duration(probe.timeoutMs)}`;
    case 'tcp-listening':
      return `127.0.0.1:${probe.port} accepts connections within ${duration(probe.timeoutMs)}`;
    case 'command-succeeds':
      return `${displayEnv(probe.env)}${formatCommand(displayArgv(probe.argv, '/'))} succeeds`;
    case 'packages-installed':
      return `the packages ${probe.packages.join(', ')} are installed`;
    case 'unit-started-after':
      return `${probe.unit} is stopped or was started after ${probe.path} last changed`;
  }
}

/** Probes that need the running system (not a --root tree). */
export function isLiveProbe(probe: Probe): boolean {
  return (
    probe.kind === 'healthz' ||
    probe.kind === 'tcp-listening' ||
    probe.kind === 'command-succeeds' ||
    probe.kind === 'unit-started-after'
  );
}
