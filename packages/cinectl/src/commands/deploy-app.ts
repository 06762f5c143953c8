import { existsSync } from 'node:fs';
import { CinectlError, UsageError } from '../errors.ts';
import { userExists } from '../host/accounts.ts';
import { hostPathExists, listHostDir, readHostFile } from '../host/facts.ts';
import { underRoot } from '../host/root.ts';
import { deployPlan } from '../plan/deploy.ts';
import { appPaths, NODE_PATH } from '../plan/layout.ts';
import { DEFAULT_LIMITS, limitsOfUnit, parseLimitCount, parseMemoryMax, type ResourceLimits } from '../plan/limits.ts';
import { nodeVersionProblem } from '../plan/node-version.ts';
import { releaseName } from '../plan/release.ts';
import { Sensitive } from '../plan/sensitive.ts';
import { validateAppName } from '../state/app-name.ts';
import {
  currentRelease,
  existingSecretKey,
  listReleases,
  readReleaseHistory,
  releaseFingerprint,
} from '../state/app-state.ts';
import type { DeployConfig } from '../state/deploy-config.ts';
import { existingMongoPassword, readMongoSettings } from '../state/mongo-config.ts';
import {
  type Allocation,
  type AppPorts,
  allocateBlock,
  BLOCK_SIZE,
  blockOf,
  blockPorts,
  claimBlock,
  formatBlock,
  parseBlock,
} from '../state/ports.ts';
import { readRegistry } from '../state/registry.ts';
import { buildCopyPath, leftoverBuildCopies } from './build-copy.ts';
import type { CommandContext } from './context.ts';
import { refuseBroken, warnBroken } from './find-app.ts';
import { asHostError, domainTls, nginxAppsOf, nginxHost, requireNginxConf } from './nginx-facts.ts';
import { applyPlan } from './run-plan.ts';
import { checkSource, OWN_CHECKOUT, sourceCommit, sourceFingerprint } from './source.ts';

export interface DeployOptions {
  source?: string;
  workers?: string;
  ports?: string;
  memoryMax?: string;
  tasksMax?: string;
  nofile?: string;
}

/** The limits asked for, else the ones the app's unit has, else the defaults. */
function limitsOf(options: DeployOptions, unit: string | null): ResourceLimits {
  return {
    ...DEFAULT_LIMITS,
    ...limitsOfUnit(unit),
    ...(options.memoryMax === undefined ? {} : { memoryMax: parseMemoryMax(options.memoryMax) }),
    ...(options.tasksMax === undefined ? {} : { tasksMax: parseLimitCount('--tasks-max', options.tasksMax, 100_000) }),
    ...(options.nofile === undefined ? {} : { limitNofile: parseLimitCount('--nofile', options.nofile, 1_048_576) }),
  };
}

export function parseWorkers(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const workers = Number(text);
  if (!/^\d+$/.test(text) || workers < 1 || workers > BLOCK_SIZE) {
    throw new UsageError(
      `--workers ${JSON.stringify(text)} must be a whole number from 1 to ${BLOCK_SIZE}`,
      'e.g. --workers 4',
    );
  }
  return workers;
}

/** The app's block: kept for an existing app, the one asked for with --ports, or the lowest free one. */
async function portBlock(
  ctx: CommandContext,
  app: string,
  existing: DeployConfig | undefined,
  others: readonly AppPorts[],
  ports?: string,
): Promise<Allocation> {
  const requested = ports === undefined ? undefined : parseBlock(ports);
  if (existing) {
    const block = blockOf(Math.min(...existing.ports));
    if (!block) {
      throw new CinectlError(`${app}'s ports ${existing.ports.join(',')} are outside the blocks from 8001`, {
        hint: `fix the ports in ${appPaths(app).deployConfig}`,
      });
    }
    if (requested && requested.first !== block.first) {
      throw new UsageError(
        `${app} already has ports ${formatBlock(block)}; an app cannot move to another block`,
        `leave out --ports, or remove the app first (cinectl remove-app ${app})`,
      );
    }
    return { block, warnings: [] };
  }
  if (requested) return claimBlock(requested, others, ctx.probePort);
  return allocateBlock(others, ctx.probePort);
}

/** The host's Node.js runs the site: checked before anything is built (a --root tree without one is not checked). */
function checkNodeVersion(ctx: CommandContext): void {
  const { root } = ctx.options;
  const node = underRoot(root, NODE_PATH);
  if (root !== '/' && !existsSync(node)) return;
  const answer = ctx.io.execSync([node, '--version'], { timeoutMs: 10_000 });
  const problem =
    answer.exitCode !== 0 || answer.failure
      ? `it could not be run (${answer.failure ?? `exit code ${answer.exitCode}`})`
      : nodeVersionProblem(answer.stdout);
  if (problem !== undefined) {
    throw new CinectlError(`the site runs on ${NODE_PATH}, but ${problem}`, {
      hint: 'install a current Node.js: sudo pacman -Syu nodejs',
    });
  }
}

export async function deployApp(ctx: CommandContext, name: string, options: DeployOptions): Promise<void> {
  const app = validateAppName(name);
  const workers = parseWorkers(options.workers);
  const { root } = ctx.options;
  const limits = limitsOf(options, await readHostFile(root, appPaths(app).unitFile));
  const source = await checkSource(options.source ?? OWN_CHECKOUT);
  checkNodeVersion(ctx);
  const { apps, broken } = await readRegistry(root);
  refuseBroken(broken, app);
  const existing = apps.find((candidate) => candidate.name === app);
  const others = apps.filter((candidate) => candidate.name !== app);
  const heldPorts = [...others, ...broken.map((entry) => ({ name: entry.dir, ports: entry.ports }))];
  if (!existing && (await userExists(root, app)) && !(await hostPathExists(root, appPaths(app).appDir))) {
    throw new UsageError(
      `a system account named "${app}" already exists and is not a cinectl app`,
      'pick another app name; cinectl runs each app as its own account of the same name',
    );
  }
  const allocation = await portBlock(ctx, app, existing, heldPorts, options.ports);
  const ports = blockPorts(allocation.block).slice(0, workers ?? existing?.ports.length ?? BLOCK_SIZE);
  const nginxConf = await requireNginxConf(root);

  const current = await currentRelease(root, app);
  const releases = await listReleases(root, app);
  const fingerprint = await sourceFingerprint(source);
  const unchangedSource = current !== null && (await releaseFingerprint(root, app, current)) === fingerprint;
  const secretKey = new Sensitive((await existingSecretKey(root, app)) ?? ctx.randomSecret());
  const mongoSettings = await readMongoSettings(root);
  const mongoUser = mongoSettings
    ? {
        settings: mongoSettings,
        password: new Sensitive((await existingMongoPassword(root, app)) ?? ctx.randomSecret()),
      }
    : undefined;

  const newRelease = unchangedSource ? null : releaseName(ctx.clock(), releases);
  let plan: ReturnType<typeof deployPlan>;
  try {
    plan = deployPlan({
      app,
      source,
      ports,
      previousPorts: existing?.ports ?? [],
      created: existing?.created ?? ctx.clock().toISOString(),
      domain: existing?.domain ?? null,
      ...(existing?.domain ? { domainTls: domainTls(root, existing.domain) } : {}),
      currentRelease: current,
      releases,
      leftoverStaging: (await listHostDir(root, appPaths(app).appDir)).filter((name) => name.startsWith('.staging-')),
      newRelease,
      ...(newRelease ? { buildCopy: buildCopyPath(root, app, newRelease) } : {}),
      leftoverBuildCopies: await leftoverBuildCopies(root, app),
      sourceFingerprint: fingerprint,
      commit: unchangedSource ? null : sourceCommit(ctx.io, source),
      history: await readReleaseHistory(root, app),
      now: ctx.clock().toISOString(),
      secretKey,
      ...(mongoUser ? { mongoUser } : {}),
      cpuCount: ctx.cpuCount,
      limits,
      otherApps: nginxAppsOf(root, others),
      nginxConf,
      nginx: nginxHost(root, broken),
    });
  } catch (error) {
    asHostError(error, 'fix the file named in the message and run deploy-app again');
  }
  plan.notes = [...allocation.warnings];
  warnBroken(ctx, broken);
  if (unchangedSource) ctx.print(`${app}: the source is unchanged since release ${current}; no new release is built`);
  await applyPlan(ctx, plan);
}
