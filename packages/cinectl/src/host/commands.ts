import { mkdir } from 'node:fs/promises';
import { StepError } from '../errors.ts';
import { systemctl, systemctlQuery, useradd, userdel } from '../plan/argv.ts';
import type { CheckStep, RunStep, ServiceAction, ServiceStep, StepEnv, UserStep } from '../plan/types.ts';
import { userExists } from './accounts.ts';
import { isUnderRoot, SKIPPED_UNDER_ROOT, type StepContext, type StepHandler } from './context.ts';
import { lastLine, tailLines } from './io.ts';
import { describeProbe, isLiveProbe, probeHolds } from './probes.ts';
import { displayArgv, formatCommand, revealArgv, underRoot } from './root.ts';
import { displayEnv, envNames, revealEnv } from './step-env.ts';

/** How much of a failed command's output goes to the log, and how many of its last lines into the error. */
const LOGGED_OUTPUT_CHARS = 16_000;
const SHOWN_OUTPUT_LINES = 10;

/** Runs a command; a non-zero exit becomes a StepError with its last line of output. */
export async function runChecked(
  ctx: StepContext,
  argv: string[],
  options: {
    cwd?: string;
    timeoutMs?: number;
    shown?: string[];
    hint?: string;
    showOutput?: boolean;
    env?: StepEnv;
  } = {},
): Promise<void> {
  const shown = formatCommand(options.shown ?? argv);
  ctx.log.info('run', { command: shown, cwd: options.cwd, env: envNames(options.env) });
  const result = await ctx.io.exec(argv, {
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    ...(options.env ? { env: revealEnv(options.env) } : {}),
    ...(options.showOutput ? { onLine: (line: string) => ctx.progress(line) } : {}),
  });
  if (result.exitCode !== 0 || result.failure) {
    ctx.log.error('command failed', {
      command: shown,
      exitCode: result.exitCode,
      failure: result.failure,
      output: (result.all || `${result.stdout}\n${result.stderr}`).slice(-LOGGED_OUTPUT_CHARS),
    });
    throw new StepError(`${shown} exited with code ${result.exitCode}: ${lastLine(result)}`, options.hint, {
      output: tailLines(result, SHOWN_OUTPUT_LINES),
    });
  }
}

function cwdOf(step: RunStep, root: string): string | undefined {
  if (step.cwd === undefined) return undefined;
  return typeof step.cwd === 'string' ? step.cwd : underRoot(root, step.cwd.hostPath);
}

export const runHandler: StepHandler<RunStep> = {
  async inspect(step, ctx) {
    if (step.live && isUnderRoot(ctx)) return { status: 'skip', reason: SKIPPED_UNDER_ROOT };
    if (step.unless && (await probeHolds(step.unless, ctx))) return { status: 'unchanged' };
    const cwd = cwdOf(step, ctx.root);
    return {
      status: 'change',
      preview: [
        `$ ${displayEnv(step.env)}${formatCommand(displayArgv(step.argv, ctx.root))}${cwd ? `  (in ${cwd})` : ''}`,
      ],
    };
  },
  async apply(step, ctx) {
    await runChecked(ctx, revealArgv(step.argv, ctx.root), {
      cwd: cwdOf(step, ctx.root),
      timeoutMs: step.timeoutMs,
      shown: displayArgv(step.argv, ctx.root),
      showOutput: true,
      ...(step.env ? { env: step.env } : {}),
      ...(step.hint ? { hint: step.hint } : {}),
    });
    return undefined;
  },
};

function userArgv(step: UserStep, root: string): string[] {
  return step.ensure === 'present' ? useradd(step, root) : userdel(step.name, root);
}

export const userHandler: StepHandler<UserStep> = {
  async inspect(step, ctx) {
    const exists = await userExists(ctx.root, step.name);
    if (exists === (step.ensure === 'present')) return { status: 'unchanged' };
    return { status: 'change', preview: [`$ ${formatCommand(userArgv(step, ctx.root))}`] };
  },
  async apply(step, ctx) {
    // useradd --prefix needs the root's /etc; it creates passwd, group, shadow and gshadow in it when missing.
    if (isUnderRoot(ctx)) await mkdir(underRoot(ctx.root, '/etc'), { recursive: true });
    await runChecked(ctx, userArgv(step, ctx.root));
    return undefined;
  },
};

/** The unit state `systemctl is-enabled|is-active` prints ("enabled", "active", …), or null when unanswerable. */
export async function unitState(
  ctx: StepContext,
  query: 'is-enabled' | 'is-active',
  unit: string,
): Promise<string | null> {
  const argv = systemctlQuery(query, unit, ctx.root);
  if (!argv) return null;
  const result = await ctx.io.exec(argv);
  if (result.failure) return null;
  return result.stdout.trim().split('\n')[0] || null;
}

/** Whether the unit is already where the action would take it. */
async function alreadyDone(ctx: StepContext, unit: string, action: ServiceAction): Promise<boolean> {
  switch (action) {
    case 'enable':
      return (await unitState(ctx, 'is-enabled', unit)) === 'enabled';
    case 'disable':
      return (await unitState(ctx, 'is-enabled', unit)) !== 'enabled';
    case 'start':
      return (await unitState(ctx, 'is-active', unit)) === 'active';
    case 'stop': {
      const state = await unitState(ctx, 'is-active', unit);
      return state === 'inactive' || state === 'failed' || state === null;
    }
    default:
      return false;
  }
}

export const serviceHandler: StepHandler<ServiceStep> = {
  async inspect(step, ctx) {
    const argv = systemctl(step.action, step.unit, ctx.root);
    if (!argv) return { status: 'skip', reason: SKIPPED_UNDER_ROOT };
    if (await alreadyDone(ctx, step.unit, step.action)) return { status: 'unchanged' };
    if (step.unless && (await probeHolds(step.unless, ctx))) return { status: 'unchanged' };
    return { status: 'change', preview: [`$ ${formatCommand(argv)}`] };
  },
  async apply(step, ctx) {
    const argv = systemctl(step.action, step.unit, ctx.root);
    if (!argv) return undefined;
    await runChecked(ctx, argv, { hint: `look at journalctl -u ${step.unit} for the reason` });
    return undefined;
  },
};

export const checkHandler: StepHandler<CheckStep> = {
  async inspect(step, ctx) {
    if (isLiveProbe(step.probe) && isUnderRoot(ctx)) return { status: 'skip', reason: SKIPPED_UNDER_ROOT };
    return { status: 'verify', preview: [`check that ${describeProbe(step.probe)}`] };
  },
  async apply(step, ctx) {
    if (!(await probeHolds(step.probe, ctx))) {
      throw new StepError(`${step.what}: ${describeProbe(step.probe)} did not hold`, step.hint);
    }
    return undefined;
  },
};
