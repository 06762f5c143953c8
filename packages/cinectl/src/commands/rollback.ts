import { UsageError } from '../errors.ts';
import { previousRelease } from '../plan/release.ts';
import { rollbackPlan } from '../plan/rollback.ts';
import { currentRelease, listReleases } from '../state/app-state.ts';
import type { CommandContext } from './context.ts';
import { requireApp } from './find-app.ts';
import { applyPlan } from './run-plan.ts';

export async function rollback(ctx: CommandContext, name: string): Promise<void> {
  const { root } = ctx.options;
  const { app } = await requireApp(root, name);
  const current = await currentRelease(root, app.name);
  if (current === null) {
    throw new UsageError(
      `${app.name} has no live release to roll back from`,
      `deploy it first: cinectl deploy-app ${app.name}`,
    );
  }
  const target = previousRelease(await listReleases(root, app.name), current);
  if (target === undefined) {
    throw new UsageError(
      `${app.name} has no release older than ${current} to roll back to`,
      'only the last 5 releases are kept; deploy the version you want instead',
    );
  }
  await applyPlan(
    ctx,
    rollbackPlan({ app: app.name, ports: app.ports, domain: app.domain, created: app.created, current, target }),
  );
}
