import { InternalError, StepError } from '../errors.ts';
import { systemctl } from '../plan/argv.ts';
import type { RollingRestartStep, WorkerInstance } from '../plan/types.ts';
import { runChecked } from './commands.ts';
import { isUnderRoot, SKIPPED_UNDER_ROOT, type StepContext, type StepHandler } from './context.ts';
import { switchSymlink } from './files.ts';
import { duration, waitHealthy } from './probes.ts';
import { formatCommand, underRoot } from './root.ts';

function restartArgv(unit: string): string[] {
  const argv = systemctl('restart', unit, '/');
  if (!argv) throw new InternalError('systemctl restart is always available on a live host');
  return argv;
}

/** Puts the previous release back and restarts the instances that already run the new one. */
async function rollBack(
  step: RollingRestartStep,
  ctx: StepContext,
  restarted: readonly WorkerInstance[],
): Promise<string> {
  if (step.link.previous === null) return 'there is no previous release to go back to';
  await switchSymlink(underRoot(ctx.root, step.link.path), step.link.previous);
  let healthy = 0;
  for (const instance of restarted) {
    const result = await ctx.io.exec(restartArgv(instance.unit));
    if (result.exitCode === 0 && (await waitHealthy(ctx, instance.port, step.healthTimeoutMs))) healthy++;
  }
  return `current points at ${step.link.previous} again and ${healthy} of ${restarted.length} restarted workers answer on it`;
}

export const rollingRestartHandler: StepHandler<RollingRestartStep> = {
  async inspect(step, ctx) {
    if (isUnderRoot(ctx)) return { status: 'skip', reason: SKIPPED_UNDER_ROOT };
    return {
      status: 'change',
      preview: step.instances.map(
        (instance) => `$ ${formatCommand(restartArgv(instance.unit))}  (then wait for :${instance.port}/healthz)`,
      ),
    };
  },
  async apply(step, ctx) {
    const restarted: WorkerInstance[] = [];
    for (const [index, instance] of step.instances.entries()) {
      ctx.progress(`restarting ${instance.unit} (${index + 1}/${step.instances.length})`);
      let failure: string | undefined;
      try {
        restarted.push(instance);
        await runChecked(ctx, restartArgv(instance.unit));
        if (!(await waitHealthy(ctx, instance.port, step.healthTimeoutMs))) {
          failure = `${instance.unit} did not answer /healthz on port ${instance.port} within ${duration(step.healthTimeoutMs)}`;
        }
      } catch (error) {
        failure = (error as Error).message;
      }
      if (failure !== undefined) {
        ctx.log.error('rolling restart failed, rolling back', { unit: instance.unit, reason: failure });
        const outcome = await rollBack(step, ctx, restarted);
        throw new StepError(
          `${failure}; ${outcome}`,
          `look at journalctl -u ${instance.unit} for why the new release fails`,
        );
      }
    }
    return undefined;
  },
};
