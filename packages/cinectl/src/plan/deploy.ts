import { resolve } from 'node:path';
import { InternalError } from '../errors.ts';
import { serializeDeployConfig } from '../state/deploy-config.ts';
import {
  EMPTY_HISTORY,
  type ReleaseHistory,
  serializeReleaseHistory,
  withBuilt,
  withLive,
} from '../state/release-history.ts';
import { daemonReload, webBuild, webDeploy, webInstall } from './argv.ts';
import { backupTimerOf, backupUnitSteps } from './backup.ts';
import { cpuForPort } from './cpu.ts';
import { webEnv } from './env.ts';
import {
  type AppPaths,
  appPaths,
  BUILD_INPUTS,
  BUILD_SKIPPED_DIRS,
  dropInDir,
  FINGERPRINT_FILE,
  MONGODB_UNIT,
  NODE_PATH,
  NOLOGIN_SHELL,
} from './layout.ts';
import type { ResourceLimits } from './limits.ts';
import { type MongoSettings, mongoAppUri, mongoAppUserStep } from './mongo.ts';
import type { DomainTls, NginxApp, NginxHost } from './nginx.ts';
import { nginxCacheParentStep, nginxStep } from './nginx-step.ts';
import { releaseLink, releasesToPrune } from './release.ts';
import type { Sensitive } from './sensitive.ts';
import { cpuDropIn, instanceName, serviceUnit, unitName } from './systemd.ts';
import {
  hostPath,
  type Owner,
  type Plan,
  type RemoveStep,
  ROOT_OWNER,
  type Step,
  type WorkerInstance,
} from './types.ts';

export const HEALTH_TIMEOUT_MS = 30_000;

/** Everything deploy-app decided from options and the host's state; the plan follows from it alone. */
export interface DeployInput {
  app: string;
  /** The CineStream checkout on this machine the release is built from. */
  source: string;
  /** Ports of the worker instances (the first N of the app's block). */
  ports: number[];
  /** Ports of the previous deploy; instances on ports no longer wanted are stopped and removed. */
  previousPorts: number[];
  created: string;
  domain: string | null;
  /** The domain's HTTPS files as the host has them (commands/nginx-facts.ts domainTls). */
  domainTls?: DomainTls;
  /** The live release before this deploy (null for a new app). */
  currentRelease: string | null;
  /** Release directories that exist now. */
  releases: string[];
  /** Staging directories (`.staging-…`) interrupted deploys left in the app's directory: removed first. */
  leftoverStaging?: string[];
  /** Where the new release is built: a path on this machine in cinectl's temp directory (needed with newRelease). */
  buildCopy?: string;
  /** Build copies interrupted deploys of this app left in cinectl's temp directory (paths on this machine). */
  leftoverBuildCopies?: string[];
  /** The release to build, or null when the source is the one the live release was built from. */
  newRelease: string | null;
  sourceFingerprint: string;
  /** The source checkout's git commit (null when it is not a git checkout), recorded with a new release. */
  commit?: string | null;
  /** The app's release history as it is now. */
  history?: ReleaseHistory;
  /** When this deploy runs (ISO), recorded as the build and go-live time. */
  now?: string;
  secretKey: Sensitive;
  /** The host's MongoDB set up by cinectl: the app gets its own user on its own database, and MONGO_URI for it. */
  mongoUser?: { settings: MongoSettings; password: Sensitive };
  cpuCount: number;
  /** Each worker's resource limits. */
  limits?: ResourceLimits;
  /** The other apps on the host, for the nginx files. */
  otherApps: NginxApp[];
  nginxConf: string;
  nginx: NginxHost;
  healthTimeoutMs?: number;
}

function instances(app: string, ports: readonly number[]): WorkerInstance[] {
  return ports.map((port) => ({ unit: instanceName(app, port), port }));
}

/** What interrupted deploys left (a staging copy is tens of MB): removed before anything is built. */
function leftoverSteps(input: DeployInput): Step[] {
  const { appDir } = appPaths(input.app);
  const fresh = input.newRelease === null ? undefined : `.staging-${input.newRelease}`;
  const staging = (input.leftoverStaging ?? [])
    .filter((name) => name !== fresh)
    .map(
      (name): Step => ({
        kind: 'remove',
        title: `Remove ${appDir}/${name} left by an interrupted deploy`,
        path: `${appDir}/${name}`,
        recursive: true,
      }),
    );
  const copies = (input.leftoverBuildCopies ?? []).map(
    (path): Step => ({
      kind: 'remove',
      title: `Remove the build copy ${path} left by an interrupted deploy`,
      path,
      recursive: true,
      onThisMachine: true,
    }),
  );
  return [...staging, ...copies];
}

/** The history once the new release is built (unchanged without one). */
function builtHistory(input: DeployInput): ReleaseHistory {
  const history = input.history ?? EMPTY_HISTORY;
  if (input.newRelease === null) return history;
  return withBuilt(history, input.newRelease, input.commit ?? null, input.now ?? input.created);
}

function historyWrite(app: string, history: ReleaseHistory, title: string): Step {
  return {
    kind: 'write',
    title,
    path: appPaths(app).releaseHistory,
    content: serializeReleaseHistory(history),
    mode: 0o644,
    owner: ROOT_OWNER,
  };
}

/** cinectl's own script that copies the build inputs into the build copy (scripts/copy-inputs.js). */
const COPY_INPUTS = resolve(import.meta.dirname, '../../scripts/copy-inputs.js');

function buildCopyOf(input: DeployInput): string {
  if (input.buildCopy === undefined) throw new InternalError('a new release needs a build copy');
  return input.buildCopy;
}

/** The build copy, removed after the build, and by the plan's cleanup after a failure or Ctrl-C. */
function buildCopyRemoval(input: DeployInput): RemoveStep {
  const path = buildCopyOf(input);
  return { kind: 'remove', title: `Remove the build copy ${path}`, path, recursive: true, onThisMachine: true };
}

/**
 * The release is built in a copy of the checkout's build inputs in cinectl's temp directory: the checkout itself is
 * only read (pnpm writes dist/, node_modules/ and the bin links of `pnpm deploy` into the copy).
 */
function buildSteps(input: DeployInput, staging: string): Step[] {
  const copy = buildCopyOf(input);
  return [
    {
      kind: 'run',
      title: `Copy the checkout's build inputs to ${copy}`,
      argv: ['node', COPY_INPUTS, input.source, copy, `--skip=${BUILD_SKIPPED_DIRS.join(',')}`, ...BUILD_INPUTS],
    },
    {
      kind: 'run',
      title: 'Install the build dependencies in the copy',
      argv: webInstall(),
      cwd: copy,
      timeoutMs: 600_000,
    },
    { kind: 'run', title: 'Build the web package', argv: webBuild(), cwd: copy, timeoutMs: 600_000 },
    {
      kind: 'run',
      title: 'Copy the built web package and its production dependencies',
      argv: webDeploy(hostPath(staging)),
      cwd: copy,
      timeoutMs: 600_000,
    },
    buildCopyRemoval(input),
  ];
}

function releaseSteps(input: DeployInput, release: string): Step[] {
  const paths = appPaths(input.app);
  const dir = `${paths.releasesDir}/${release}`;
  const staging = `${paths.appDir}/.staging-${release}`;
  const runtimeParts = ['package.json', 'dist', 'node_modules', 'src/views', 'src/public'];
  return [
    { kind: 'remove', title: `Clear ${staging} from an interrupted deploy`, path: staging, recursive: true },
    ...buildSteps(input, staging),
    { kind: 'mkdir', title: `Create release ${release}`, path: `${dir}/src`, mode: 0o755, owner: ROOT_OWNER },
    ...runtimeParts.map(
      (part): Step => ({
        kind: 'move',
        title: `Move ${part} into release ${release}`,
        from: `${staging}/${part}`,
        to: `${dir}/${part}`,
      }),
    ),
    { kind: 'remove', title: `Remove ${staging}`, path: staging, recursive: true },
    {
      kind: 'write',
      title: `Record the source fingerprint of release ${release}`,
      path: `${dir}/${FINGERPRINT_FILE}`,
      content: `${input.sourceFingerprint}\n`,
      mode: 0o644,
      owner: ROOT_OWNER,
    },
    historyWrite(input.app, builtHistory(input), `Record the commit of release ${release}`),
  ];
}

/** What every part of the deploy plan works from, worked out once. */
interface DeployFacts {
  input: DeployInput;
  app: string;
  paths: AppPaths;
  appOwner: Owner;
  /** The release `current` points at once the deploy is done. */
  liveRelease: string;
  wanted: WorkerInstance[];
  /** Instances on ports the app no longer uses. */
  retired: WorkerInstance[];
  /** Ids of the steps that write the unit and its CPU drop-ins. */
  unitIds: string[];
  mongoUri: Sensitive | undefined;
}

function factsOf(input: DeployInput): DeployFacts {
  const { app } = input;
  const liveRelease = input.newRelease ?? input.currentRelease;
  if (liveRelease === null) throw new InternalError('a deploy needs a release: the app has none and none is built');
  return {
    input,
    app,
    paths: appPaths(app),
    appOwner: { user: app, group: app },
    liveRelease,
    wanted: instances(app, input.ports),
    retired: instances(
      app,
      input.previousPorts.filter((port) => !input.ports.includes(port)),
    ),
    unitIds: ['unit', ...input.ports.map((port) => `cpu-${port}`)],
    mongoUri: input.mongoUser && mongoAppUri(input.mongoUser.settings, app, input.mongoUser.password),
  };
}

/** The registry entry with the given live release. */
function registryWrite(facts: DeployFacts, release: string | null, title: string): Step {
  const { input, paths } = facts;
  return {
    kind: 'write',
    title,
    path: paths.deployConfig,
    content: serializeDeployConfig({
      name: facts.app,
      ports: input.ports,
      domain: input.domain,
      created: input.created,
      release,
    }),
    mode: 0o644,
    owner: ROOT_OWNER,
  };
}

/** The app's account, its directories, and its ports recorded before anything uses them. */
function accountSteps(facts: DeployFacts): Step[] {
  const { app, paths } = facts;
  return [
    {
      kind: 'user',
      title: `Create the system user ${app}`,
      name: app,
      ensure: 'present',
      home: paths.appDir,
      shell: NOLOGIN_SHELL,
    },
    {
      kind: 'mkdir',
      title: `Create ${paths.appDir}`,
      path: paths.appDir,
      mode: 0o750,
      owner: { user: 'root', group: app },
    },
    { kind: 'mkdir', title: `Create ${paths.releasesDir}`, path: paths.releasesDir, mode: 0o755, owner: ROOT_OWNER },
    {
      kind: 'mkdir',
      title: `Create the data directory ${paths.dataDir}`,
      path: paths.dataDir,
      mode: 0o700,
      owner: facts.appOwner,
    },
    registryWrite(facts, facts.input.currentRelease, `Record ${app}'s ports in ${paths.deployConfig}`),
  ];
}

/** The .env file, 0600 and owned by the app, its secrets registered for redaction. */
function envStep(facts: DeployFacts): Step {
  const { input, app, paths, mongoUri } = facts;
  return {
    kind: 'write',
    id: 'env',
    title: `Write ${paths.envFile}`,
    path: paths.envFile,
    content: webEnv({
      app,
      ports: input.ports,
      basePath: `/${app}`,
      secretKey: input.secretKey.reveal(),
      dataDir: paths.dataDir,
      ...(mongoUri ? { mongoUri: mongoUri.reveal() } : {}),
    }),
    mode: 0o600,
    owner: facts.appOwner,
    secrets: [input.secretKey, ...(mongoUri ? [mongoUri] : []), ...(input.mongoUser ? [input.mongoUser.password] : [])],
  };
}

/** The template unit, one CPU drop-in per worker, daemon-reload when they changed, and the instances enabled. */
function unitSteps(facts: DeployFacts): Step[] {
  const { input, app, paths } = facts;
  return [
    {
      kind: 'write',
      id: 'unit',
      title: `Write the systemd unit ${unitName(app)}`,
      path: paths.unitFile,
      content: serviceUnit({
        app,
        user: app,
        appDir: paths.appDir,
        dataDir: paths.dataDir,
        nodePath: NODE_PATH,
        ...(facts.mongoUri ? { after: [MONGODB_UNIT] } : {}),
        ...(input.limits ? { limits: input.limits } : {}),
      }),
      mode: 0o644,
      owner: ROOT_OWNER,
    },
    ...input.ports.map(
      (port): Step => ({
        kind: 'write',
        id: `cpu-${port}`,
        title: `Pin ${instanceName(app, port)} to CPU ${cpuForPort(port, input.cpuCount)}`,
        path: `${dropInDir(app, port)}/cpu.conf`,
        content: cpuDropIn([cpuForPort(port, input.cpuCount)]),
        mode: 0o644,
        owner: ROOT_OWNER,
      }),
    ),
    ...backupUnitSteps(),
    {
      kind: 'run',
      title: 'Reload systemd',
      argv: daemonReload(),
      live: true,
      when: { changed: [...facts.unitIds, 'backup-units'] },
    },
    {
      kind: 'service',
      title: `Enable the daily backup ${backupTimerOf(app)}`,
      unit: backupTimerOf(app),
      action: 'enable',
    },
    { kind: 'service', title: `Start ${backupTimerOf(app)}`, unit: backupTimerOf(app), action: 'start' },
    ...facts.wanted.map(
      (instance): Step => ({
        kind: 'service',
        title: `Enable ${instance.unit}`,
        unit: instance.unit,
        action: 'enable',
      }),
    ),
  ];
}

/**
 * The atomic `current` switch, then the workers: restarted one at a time with /healthz when the app was already
 * live, started, and each checked.
 */
function goLiveSteps(facts: DeployFacts): Step[] {
  const { input, app, paths, liveRelease, wanted } = facts;
  const timeout = input.healthTimeoutMs ?? HEALTH_TIMEOUT_MS;
  const steps: Step[] = [
    {
      kind: 'symlink',
      id: 'current',
      title: `Switch ${paths.current} to release ${liveRelease}`,
      path: paths.current,
      target: releaseLink(liveRelease),
    },
  ];
  if (input.currentRelease !== null) {
    steps.push({
      kind: 'rolling-restart',
      title: `Restart ${app}'s workers one at a time`,
      when: { changed: ['current', 'env', ...facts.unitIds] },
      app,
      instances: wanted,
      healthTimeoutMs: timeout,
      link: {
        path: paths.current,
        target: releaseLink(liveRelease),
        previous: input.currentRelease === liveRelease ? null : releaseLink(input.currentRelease),
      },
    });
  }
  for (const instance of wanted) {
    steps.push({ kind: 'service', title: `Start ${instance.unit}`, unit: instance.unit, action: 'start' });
  }
  for (const instance of wanted) {
    steps.push({
      kind: 'check',
      title: `Check that ${instance.unit} answers /healthz`,
      what: `${instance.unit} is not healthy`,
      probe: { kind: 'healthz', port: instance.port, timeoutMs: timeout },
      hint: `look at journalctl -u ${instance.unit} for the reason`,
    });
  }
  return steps;
}

/** The microcache directory and every app's nginx files, this one with its ports and domain. */
function deployNginxSteps(facts: DeployFacts): Step[] {
  const { input } = facts;
  return [
    nginxCacheParentStep(),
    nginxStep({
      apps: [
        ...input.otherApps,
        {
          name: facts.app,
          ports: input.ports,
          ...(input.domain ? { domain: input.domain } : {}),
          ...(input.domain && input.domainTls ? { tls: input.domainTls } : {}),
        },
      ],
      nginxConf: input.nginxConf,
      host: input.nginx,
    }),
  ];
}

/** Workers on ports no longer wanted: stopped, disabled, their drop-ins removed, systemd reloaded. */
function retireSteps(facts: DeployFacts): Step[] {
  const { app, retired } = facts;
  if (retired.length === 0) return [];
  return [
    ...retired.flatMap((instance): Step[] => [
      { kind: 'service', title: `Stop ${instance.unit}`, unit: instance.unit, action: 'stop' },
      { kind: 'service', title: `Disable ${instance.unit}`, unit: instance.unit, action: 'disable' },
      {
        kind: 'remove',
        id: `retire-${instance.port}`,
        title: `Remove the drop-ins of ${instance.unit}`,
        path: dropInDir(app, instance.port),
        recursive: true,
      },
    ]),
    {
      kind: 'run',
      title: 'Reload systemd',
      argv: daemonReload(),
      live: true,
      when: { changed: retired.map((instance) => `retire-${instance.port}`) },
    },
  ];
}

/** The live release recorded in the registry, and releases beyond the last five removed. */
function recordSteps(facts: DeployFacts): Step[] {
  const { input, paths, liveRelease } = facts;
  const all = [...new Set([...input.releases, liveRelease])];
  const pruned = releasesToPrune(all, [liveRelease, input.currentRelease]);
  const kept = all.filter((release) => !pruned.includes(release));
  const wentLive = liveRelease !== input.currentRelease;
  return [
    registryWrite(facts, liveRelease, `Record release ${liveRelease} in ${paths.deployConfig}`),
    ...(wentLive
      ? [
          historyWrite(
            facts.app,
            withLive(builtHistory(input), liveRelease, input.now ?? input.created, kept),
            `Record when release ${liveRelease} went live`,
          ),
        ]
      : []),
    ...pruned.map(
      (release): Step => ({
        kind: 'remove',
        title: `Remove old release ${release}`,
        path: `${paths.releasesDir}/${release}`,
        recursive: true,
      }),
    ),
  ];
}

/**
 * deploy-app: account, directories, a release (when the source changed), .env, systemd units with CPU
 * affinity, the atomic `current` switch, worker (re)starts — one at a time with /healthz when the app was
 * already live — nginx, the registry entry, and old releases pruned to the last five.
 */
export function deployPlan(input: DeployInput): Plan {
  const facts = factsOf(input);
  const { app } = facts;
  const steps: Step[] = [
    ...accountSteps(facts),
    ...leftoverSteps(input),
    ...(input.newRelease ? releaseSteps(input, input.newRelease) : []),
    ...(input.mongoUser ? [mongoAppUserStep(input.mongoUser.settings, app, input.mongoUser.password)] : []),
    envStep(facts),
    ...unitSteps(facts),
    ...goLiveSteps(facts),
    ...deployNginxSteps(facts),
    ...retireSteps(facts),
    ...recordSteps(facts),
  ];
  return { title: `Deploy ${app}`, steps, ...(input.newRelease ? { cleanup: [buildCopyRemoval(input)] } : {}) };
}
