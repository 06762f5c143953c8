import { rmSync } from 'node:fs';
import { hostPathExists } from '../host/facts.ts';
import { underRoot } from '../host/root.ts';
import { SUDOERS_FILE } from '../plan/layout.ts';
import { takeBackPacmanPlan } from '../plan/yay.ts';
import type { CommandContext } from './context.ts';
import { applyPlan } from './run-plan.ts';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

async function takeBack(ctx: CommandContext): Promise<void> {
  const plan = takeBackPacmanPlan();
  const { root } = ctx.options;
  const left = await Promise.all(
    plan.steps.map((step) => (step.kind === 'remove' ? hostPathExists(root, step.path) : false)),
  );
  if (left.some(Boolean)) await applyPlan(ctx, plan);
}

/**
 * Runs init-server's packages part, then takes the AUR builder's pacman right back (takeBackPacmanPlan) however
 * the part ended: done, failed, or interrupted by a signal. A dry run writes no sudoers file, so it takes nothing back.
 */
export async function withPacmanRightTakenBack<T>(ctx: CommandContext, run: () => Promise<T>): Promise<T> {
  if (ctx.options.dryRun) return run();
  const { root } = ctx.options;
  // A signal ends the process before any finally block runs: the files go at once, then the signal does its usual.
  const onSignal = (signal: NodeJS.Signals) => {
    for (const step of takeBackPacmanPlan().steps) {
      if (step.kind === 'remove') rmSync(underRoot(root, step.path), { force: true });
    }
    stopListening();
    process.kill(process.pid, signal);
  };
  const stopListening = () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);

  let result: T;
  try {
    try {
      result = await run();
    } catch (error) {
      await takeBack(ctx).catch((failure: unknown) => {
        ctx.warn(
          `warning: ${(failure as Error).message}; remove ${SUDOERS_FILE} by hand: it lets the builder run pacman`,
        );
      });
      throw error;
    }
    await takeBack(ctx);
  } finally {
    stopListening();
  }
  return result;
}
