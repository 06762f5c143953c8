import { UsageError } from '../errors.ts';
import { restartPlan, startPlan, stopPlan } from '../plan/app-services.ts';
import { currentRelease } from '../state/app-state.ts';
import type { CommandContext } from './context.ts';
import { requireApp } from './find-app.ts';
import { applyPlan } from './run-plan.ts';

/** restart APP: the workers one at a time, each answering /healthz before the next. */
export async function restartApp(ctx: CommandContext, name: string): Promise<void> {
  const { app } = await requireApp(ctx.options.root, name);
  const release = await currentRelease(ctx.options.root, app.name);
  if (release === null) {
    throw new UsageError(
      `${app.name} has no live release to restart`,
      `deploy it first: cinectl deploy-app ${app.name}`,
    );
  }
  await applyPlan(ctx, restartPlan({ app: app.name, ports: app.ports, release }));
}

export async function startApp(ctx: CommandContext, name: string): Promise<void> {
  const { app } = await requireApp(ctx.options.root, name);
  await applyPlan(ctx, startPlan({ app: app.name, ports: app.ports }));
}

export async function stopApp(ctx: CommandContext, name: string): Promise<void> {
  const { app } = await requireApp(ctx.options.root, name);
  await applyPlan(ctx, stopPlan({ app: app.name, ports: app.ports }));
}
