import { UsageError } from '../errors.ts';
import { readHostFile } from '../host/facts.ts';
import { siteEnvPlan } from '../plan/app-services.ts';
import { appPaths } from '../plan/layout.ts';
import { editSiteEnv, envEntries, parseAssignments, parseUnsetKeys, shownValue } from '../plan/site-env.ts';
import { currentRelease } from '../state/app-state.ts';
import type { CommandContext } from './context.ts';
import { requireApp } from './find-app.ts';
import { applyPlan } from './run-plan.ts';
import { checkSiteEnv } from './site-config-check.ts';

/**
 * env APP [set KEY=VALUE… | unset KEY…]: the app's settings. Without an action: cinectl's .env and the operator's
 * site.env, secrets redacted unless --reveal. set/unset edit site.env (0600), checked first with the live
 * release's own configuration rules, then restart the workers one at a time.
 */
export async function env(
  ctx: CommandContext,
  name: string,
  action: string | undefined,
  args: string[],
  options: { reveal?: boolean },
): Promise<void> {
  const { root } = ctx.options;
  const { app } = await requireApp(root, name);
  const paths = appPaths(app.name);
  const siteEnv = (await readHostFile(root, paths.siteEnv)) ?? '';
  if (action === undefined) {
    if (args.length > 0)
      throw new UsageError(`env ${app.name} takes set or unset before ${args[0]}`, 'see cinectl env --help');
    const reveal = options.reveal ?? false;
    for (const [file, text] of [
      [paths.envFile, (await readHostFile(root, paths.envFile)) ?? ''],
      [paths.siteEnv, siteEnv],
    ] as const) {
      ctx.print(`# ${file}${file === paths.envFile ? ' (written by cinectl)' : ''}`);
      for (const entry of envEntries(text)) ctx.print(`${entry.key}=${shownValue(entry, reveal)}`);
    }
    return;
  }
  let content: string;
  if (action === 'set') content = editSiteEnv(siteEnv, { set: parseAssignments(args, app.name) });
  else if (action === 'unset') content = editSiteEnv(siteEnv, { unset: parseUnsetKeys(args, app.name) });
  else
    throw new UsageError(
      `env takes set or unset, not "${action}"`,
      `e.g. cinectl env ${app.name} set GEMINI_MODEL=flash`,
    );
  const release = await currentRelease(root, app.name);
  if (release !== null) await checkSiteEnv(ctx, app.name, content);
  await applyPlan(
    ctx,
    siteEnvPlan({
      app: app.name,
      ports: app.ports,
      release,
      content,
      title: `${action === 'set' ? 'Set' : 'Unset'} ${app.name}'s ${args.map((arg) => arg.split('=')[0]).join(', ')}`,
    }),
  );
}
