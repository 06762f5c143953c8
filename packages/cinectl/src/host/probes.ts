import { access } from 'node:fs/promises';
import type { Probe } from '../plan/types.ts';
import { userExists } from './accounts.ts';
import type { StepContext } from './context.ts';
import { underRoot } from './root.ts';

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

/** Polls /healthz until it answers or the time is up. */
export async function waitHealthy(ctx: Pick<StepContext, 'io'>, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await isHealthy(ctx, port, Math.min(2_000, Math.max(1, deadline - Date.now())))) return true;
    if (Date.now() >= deadline) return false;
    await ctx.io.sleep(POLL_MS);
  }
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
  }
}

/** Probes that need the running system (not a --root tree). */
export function isLiveProbe(probe: Probe): boolean {
  return probe.kind === 'healthz';
}
