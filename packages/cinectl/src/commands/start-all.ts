import { startAllPlan } from '../plan/services.ts';
import type { CommandContext } from './context.ts';
import { applyPlan } from './run-plan.ts';
import { servicesOnHost } from './services.ts';

export async function startAll(ctx: CommandContext): Promise<void> {
  await applyPlan(ctx, startAllPlan(await servicesOnHost(ctx)));
}
