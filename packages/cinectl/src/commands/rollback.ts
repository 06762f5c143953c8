import { UsageError } from '../errors.ts';
import { RELEASE_NAME } from '../plan/layout.ts';
import { previousRelease } from '../plan/release.ts';
import { rollbackPlan } from '../plan/rollback.ts';
import { currentRelease, listReleases, readReleaseHistory } from '../state/app-state.ts';
import { previouslyLive } from '../state/release-history.ts';
import type { CommandContext } from './context.ts';
import { requireApp } from './find-app.ts';
import { applyPlan } from './run-plan.ts';

/** The release asked for, checked: it exists and is not the live one. */
function chosenRelease(app: string, wanted: string, releases: readonly string[], current: string): string {
  const hint = `cinectl releases ${app} lists them`;
  if (!RELEASE_NAME.test(wanted)) {
    throw new UsageError(`"${wanted}" is not a release name (like 20250314T091500Z)`, hint);
  }
  if (!releases.includes(wanted)) throw new UsageError(`${app} has no release ${wanted}`, hint);
  if (wanted === current) throw new UsageError(`${wanted} is already ${app}'s live release`, hint);
  return wanted;
}

/**
 * rollback: to the release asked for, else to the one that was live before the current one (the history says;
 * without a history, the newest one older than the current).
 */
export async function rollback(ctx: CommandContext, name: string, release?: string): Promise<void> {
  const { root } = ctx.options;
  const { app } = await requireApp(root, name);
  const current = await currentRelease(root, app.name);
  if (current === null) {
    throw new UsageError(
      `${app.name} has no live release to roll back from`,
      `deploy it first: cinectl deploy-app ${app.name}`,
    );
  }
  const releases = await listReleases(root, app.name);
  const history = await readReleaseHistory(root, app.name);
  const target =
    release === undefined
      ? (previouslyLive(history, current, releases) ?? previousRelease(releases, current))
      : chosenRelease(app.name, release, releases, current);
  if (target === undefined) {
    throw new UsageError(
      `${app.name} has no release older than ${current} to roll back to`,
      'only the last 5 releases are kept; deploy the version you want instead',
    );
  }
  await applyPlan(
    ctx,
    rollbackPlan({
      app: app.name,
      ports: app.ports,
      domain: app.domain,
      created: app.created,
      current,
      target,
      history,
      releases,
      now: ctx.clock().toISOString(),
    }),
  );
}
