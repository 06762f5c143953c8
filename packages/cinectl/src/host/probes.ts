import { access } from 'node:fs/promises';
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
  }
}

/** Probes that need the running system (not a --root tree). */
export function isLiveProbe(probe: Probe): boolean {
  return probe.kind === 'healthz' || probe.kind === 'tcp-listening' || probe.kind === 'command-succeeds';
}
