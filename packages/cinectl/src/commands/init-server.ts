import { CinectlError, UsageError } from '../errors.ts';
import { unitInstalled } from '../host/facts.ts';
import { gatherMongoFacts } from '../host/mongo-facts.ts';
import {
  findBuilder,
  gatherFirewallFacts,
  gatherPreflightFacts,
  missingPackages,
  pendingUpgrades,
  realServerProbes,
  type ServerProbes,
} from '../host/server-facts.ts';
import {
  FIRST_APP,
  FIRST_APP_URL,
  type InstallInput,
  installPlan,
  type SetupInput,
  setupPlan,
  YAY,
} from '../plan/init-server.ts';
import { LOGROTATE_TIMER } from '../plan/logs-bounded.ts';
import { MONGO_AUR_PACKAGES, mongoServerSteps } from '../plan/mongo.ts';
import { BASE_PACKAGES } from '../plan/packages.ts';
import { preflight } from '../plan/preflight.ts';
import { readRegistry } from '../state/registry.ts';
import type { CommandContext } from './context.ts';
import { deployApp } from './deploy-app.ts';
import { enableAutostart } from './enable-autostart.ts';
import { nginxAppsOf, nginxHost } from './nginx-facts.ts';
import { withPacmanRightTakenBack } from './pacman-right.ts';
import { applyPlan } from './run-plan.ts';
import { checkSource, OWN_CHECKOUT } from './source.ts';
import { formatStatus, hostStatus } from './status.ts';

export interface InitServerOptions {
  force?: boolean;
  source?: string;
}

/** One part of init-server: planned from the host as it is when the part before it has finished. */
interface Part {
  name: string;
  /** Returns whether it changed (or, in a dry run, would change) something, when it knows. */
  run(): Promise<boolean | undefined>;
}

/** What the packages part needs to know. The AUR part runs only on the running host, not on a --root tree. */
export async function installInput(ctx: CommandContext, probes: ServerProbes): Promise<InstallInput> {
  const { root } = ctx.options;
  const live = root === '/';
  const missing = await missingPackages(ctx, [...BASE_PACKAGES, ...(live ? [YAY, ...MONGO_AUR_PACKAGES] : [])]);
  return {
    root,
    packages: { missing, upgrades: await pendingUpgrades(ctx) },
    aur: live
      ? {
          builder: await findBuilder(ctx, probes),
          yayMissing: missing.includes(YAY),
          aurPackages: MONGO_AUR_PACKAGES,
          aurMissing: MONGO_AUR_PACKAGES.filter((name) => missing.includes(name)),
        }
      : null,
  };
}

export async function setupInput(ctx: CommandContext): Promise<SetupInput> {
  const { root } = ctx.options;
  const { apps, broken } = await readRegistry(root);
  return {
    mongo: mongoServerSteps(await gatherMongoFacts(ctx)),
    apps: nginxAppsOf(root, apps),
    nginx: nginxHost(root, broken),
    firewall: await gatherFirewallFacts(ctx),
    checkout: OWN_CHECKOUT,
    logrotateTimer: await unitInstalled(root, LOGROTATE_TIMER),
  };
}

async function checkPreflight(ctx: CommandContext, probes: ServerProbes, force: boolean): Promise<void> {
  const facts = await gatherPreflightFacts(ctx, probes);
  const verdict = preflight(facts, { force, dryRun: ctx.options.dryRun });
  for (const warning of verdict.warnings) ctx.warn(`warning: ${warning}`);
  const refusal = verdict.refusals[0];
  if (!refusal) return;
  const others = verdict.refusals.slice(1).map((problem) => problem.check);
  const more = others.length > 0 ? ` (failed too: ${others.join(', ')})` : '';
  if (refusal.check === 'root') throw new UsageError(refusal.message, refusal.hint);
  throw new CinectlError(`init-server refused: ${refusal.message}${more}`, { hint: refusal.hint });
}

const RESUME = 'run cinectl init-server again: what is done is skipped';

function resumeHint(hint: string | undefined): string {
  if (!hint) return `fix the cause, then ${RESUME}`;
  return /again/.test(hint) ? hint.replace(/run the same command again/, RESUME) : `${hint}; then ${RESUME}`;
}

const changedSomething = (results: { outcome: string }[]) => results.some((result) => result.outcome === 'changed');

/**
 * init-server: preflight, then four parts, each planned from the host as the part before left it — packages
 * (pacman, yay, MongoDB from the AUR), MongoDB + nginx + firewall, `deploy-app cinestream`, `enable-autostart` —
 * and the status table. Every part is idempotent, so running it again after a failure resumes.
 */
export async function initServer(
  ctx: CommandContext,
  options: InitServerOptions,
  probes: ServerProbes = realServerProbes,
): Promise<void> {
  const { dryRun } = ctx.options;
  const source = await checkSource(options.source ?? OWN_CHECKOUT);
  await checkPreflight(ctx, probes, options.force ?? false);

  const parts: Part[] = [
    {
      name: 'packages (pacman, then yay and MongoDB from the AUR)',
      run: () =>
        withPacmanRightTakenBack(ctx, async () =>
          changedSomething(await applyPlan(ctx, installPlan(await installInput(ctx, probes)))),
        ),
    },
    {
      name: 'MongoDB, nginx and the firewall',
      run: async () => changedSomething(await applyPlan(ctx, setupPlan(await setupInput(ctx)))),
    },
    {
      name: `deploy-app ${FIRST_APP}`,
      run: async () => {
        await deployApp(ctx, FIRST_APP, { source });
        return undefined;
      },
    },
    {
      name: 'enable-autostart',
      run: async () => {
        await enableAutostart(ctx);
        return undefined;
      },
    },
  ];

  const finished: string[] = [];
  let earlierChanges = false;
  for (const [index, part] of parts.entries()) {
    ctx.print(`== init-server ${index + 1}/${parts.length}: ${part.name}`);
    if (dryRun && earlierChanges) {
      ctx.print('(planned from the host as it is now: the parts above change it, so this part can differ)');
    }
    try {
      earlierChanges = (await part.run()) !== false || earlierChanges;
      finished.push(part.name);
    } catch (error) {
      if (!(error instanceof CinectlError)) throw error;
      if (dryRun && earlierChanges) {
        ctx.print(`cannot be shown before the parts above have run: ${error.message}`);
        continue;
      }
      throw new CinectlError(
        `init-server stopped in part ${index + 1}/${parts.length} (${part.name}): ${error.message}; ` +
          `finished parts: ${finished.length > 0 ? finished.join(', ') : 'none'}`,
        { hint: resumeHint(error.hint), exitCode: error.exitCode, cause: error },
      );
    }
  }

  if (dryRun) {
    ctx.print(`dry run: after these parts ${FIRST_APP} answers at ${FIRST_APP_URL}`);
    return;
  }
  ctx.print('');
  for (const line of formatStatus(await hostStatus(ctx))) ctx.print(line);
  ctx.print('');
  ctx.print(`CineStream is at ${FIRST_APP_URL}`);
}
