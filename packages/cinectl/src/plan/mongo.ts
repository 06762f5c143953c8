import { dirname, resolve } from 'node:path';
import { render } from '../render.ts';
import { type MongoSettings, serializeMongoSettings } from '../state/mongo-config.ts';
import { BACKUP_ROOT, MONGO_CONFIG, MONGOD_CONFIG, MONGODB_UNIT, MONGODUMP_CONFIG } from './layout.ts';
import { fixMongodConfig, MONGOD_BIND_IP, mongodPort } from './mongod-config.ts';
import { Sensitive } from './sensitive.ts';
import { type Arg, hostPath, ROOT_OWNER, type RunStep, type Step, type StepEnv } from './types.ts';

export type { MongoSettings } from '../state/mongo-config.ts';

export const MONGO_AUR_PACKAGES = ['mongodb-bin', 'mongosh-bin', 'mongodb-tools-bin'] as const;

export const MONGO_ADMIN_USER = 'cinectl-admin';
export const MONGOD_START_TIMEOUT_MS = 60_000;
const MONGOSH_TIMEOUT_MS = 60_000;
const MONGODUMP_TIMEOUT_MS = 3_600_000;

/** What init-server and uninit-server know about MongoDB on the host before they plan. */
export interface MongoServerFacts {
  /** /etc/mongodb.conf as it is now; null before the package installed it. */
  configText: string | null;
  /** /etc/cinectl/mongo.json; null while cinectl has not set MongoDB up. */
  settings: MongoSettings | null;
  /** The admin password to create when there are no settings yet. */
  newAdminPassword: Sensitive;
}

/** The configuration cinectl writes when the package's file is not there to be fixed. */
export function defaultMongodConfig(): string {
  return render('mongodb/mongodb.conf.hbs', {});
}

/** cinectl's mongosh scripts (packages/cinectl/mongosh), the same from `src/` and `dist/`. */
export const MONGOSH_DIR = resolve(import.meta.dirname, '../../mongosh');

/** One of cinectl's mongosh scripts: run as they are, they read names and passwords from the environment. */
export function mongoshScript(name: string): string {
  return resolve(MONGOSH_DIR, name);
}

export function mongoshArgv(settings: Pick<MongoSettings, 'host' | 'port'>, script: string): string[] {
  return ['mongosh', '--quiet', '--norc', `mongodb://${settings.host}:${settings.port}/admin`, '--file', script];
}

function adminEnv(settings: MongoSettings): StepEnv {
  return { CINECTL_ADMIN_USER: settings.admin.user, CINECTL_ADMIN_PASSWORD: settings.admin.password };
}

/** The settings init-server leaves in mongo.json: the ones found (with the configured port), or new ones. */
function serverSettings(facts: MongoServerFacts, port: number): MongoSettings {
  if (facts.settings) return { ...facts.settings, port };
  return { host: MONGOD_BIND_IP, port, admin: { user: MONGO_ADMIN_USER, password: facts.newAdminPassword } };
}

/**
 * After the AUR packages are installed: the fixed /etc/mongodb.conf, mongodb.service enabled, restarted when it runs
 * with an older configuration (also when an earlier run wrote the file and stopped before the restart), started and
 * waited for, /etc/cinectl/mongo.json with the admin's password (written before the user is created, so an
 * interrupted run resumes with the same password), and the admin user. A converged host changes nothing.
 */
export function mongoServerSteps(facts: MongoServerFacts): Step[] {
  const config = fixMongodConfig(facts.configText ?? defaultMongodConfig(), MONGOD_CONFIG);
  const port = mongodPort(config, MONGOD_CONFIG);
  const settings = serverSettings(facts, port);
  const journal = `journalctl -u ${MONGODB_UNIT}`;
  return [
    {
      kind: 'write',
      title: `Write ${MONGOD_CONFIG} (127.0.0.1 only, authorization on)`,
      path: MONGOD_CONFIG,
      content: config,
      mode: 0o644,
      owner: ROOT_OWNER,
    },
    { kind: 'service', title: `Enable ${MONGODB_UNIT}`, unit: MONGODB_UNIT, action: 'enable' },
    {
      kind: 'service',
      title: `Restart ${MONGODB_UNIT} when it runs with an older ${MONGOD_CONFIG}`,
      unit: MONGODB_UNIT,
      action: 'restart',
      unless: { kind: 'unit-started-after', unit: MONGODB_UNIT, path: MONGOD_CONFIG },
    },
    { kind: 'service', title: `Start ${MONGODB_UNIT}`, unit: MONGODB_UNIT, action: 'start' },
    {
      kind: 'check',
      title: `Wait for MongoDB on 127.0.0.1:${port}`,
      what: 'MongoDB did not come up',
      probe: { kind: 'tcp-listening', port, timeoutMs: MONGOD_START_TIMEOUT_MS },
      hint: `look at ${journal} for the reason, fix it and run the same command again`,
    },
    {
      kind: 'mkdir',
      title: `Create ${dirname(MONGO_CONFIG)}`,
      path: dirname(MONGO_CONFIG),
      mode: 0o755,
      owner: ROOT_OWNER,
    },
    {
      kind: 'write',
      title: `Record the MongoDB admin account in ${MONGO_CONFIG}`,
      path: MONGO_CONFIG,
      content: serializeMongoSettings(settings),
      mode: 0o600,
      owner: ROOT_OWNER,
      secrets: [settings.admin.password],
    },
    {
      kind: 'run',
      title: `Create the MongoDB admin user ${settings.admin.user}`,
      argv: mongoshArgv(settings, mongoshScript('create-admin.js')),
      env: adminEnv(settings),
      unless: {
        kind: 'command-succeeds',
        argv: mongoshArgv(settings, mongoshScript('admin-ready.js')),
        env: adminEnv(settings),
        timeoutMs: MONGOSH_TIMEOUT_MS,
      },
      live: true,
      timeoutMs: MONGOSH_TIMEOUT_MS,
      hint:
        `MongoDB only lets the first user be created without logging in: when it already has users, put one with ` +
        `the root role into ${MONGO_CONFIG} ({"host", "port", "admin": {"user", "password"}}) and run it again`,
    },
  ];
}

/** The app's connection string: its own user, authenticated against and limited to its own database. */
export function mongoAppUri(
  settings: Pick<MongoSettings, 'host' | 'port'>,
  app: string,
  password: Sensitive,
): Sensitive {
  const secret = encodeURIComponent(password.reveal());
  return new Sensitive(`mongodb://${app}:${secret}@${settings.host}:${settings.port}/${app}?authSource=${app}`);
}

/** deploy-app: the app's MongoDB user exists with this password and readWrite + dbAdmin on its database only. */
export function mongoAppUserStep(settings: MongoSettings, app: string, password: Sensitive): RunStep {
  const appEnv: StepEnv = { CINECTL_APP: app, CINECTL_APP_PASSWORD: password };
  return {
    kind: 'run',
    title: `Create the MongoDB user ${app} for the database ${app}`,
    argv: mongoshArgv(settings, mongoshScript('ensure-app-user.js')),
    env: { ...adminEnv(settings), ...appEnv },
    unless: {
      kind: 'command-succeeds',
      argv: mongoshArgv(settings, mongoshScript('app-user-ready.js')),
      env: appEnv,
      timeoutMs: MONGOSH_TIMEOUT_MS,
    },
    live: true,
    timeoutMs: MONGOSH_TIMEOUT_MS,
    hint: `check that ${MONGODB_UNIT} runs and that the admin account in ${MONGO_CONFIG} can log in`,
  };
}

/** `/var/backups/cinestream/<stamp>` for a timestamp like 20250314T091500Z. */
export function mongoBackupDir(stamp: string): string {
  return `${BACKUP_ROOT}/${stamp}`;
}

export function mongoBackupArchive(dir: string, app: string): string {
  return `${dir}/${app}.archive.gz`;
}

function mongodumpArgv(settings: MongoSettings, app: string, archiveName: string): Arg[] {
  return [
    'mongodump',
    '--config',
    hostPath(MONGODUMP_CONFIG),
    `--host=${settings.host}`,
    `--port=${settings.port}`,
    `--username=${settings.admin.user}`,
    '--authenticationDatabase=admin',
    `--db=${app}`,
    `--archive=${archiveName}`,
    '--gzip',
  ];
}

/**
 * uninit-server: every app database dumped to `<dir>/<app>.archive.gz` (the directory is made by the caller) before
 * anything is removed. mongodump gets the admin password from a 0600 file, never from argv; an archive is written
 * under a `.partial` name and renamed once complete, so a file without it is a whole dump. Nothing to dump without
 * cinectl's MongoDB.
 */
export function mongoBackupSteps(facts: MongoServerFacts, apps: string[], dir: string): Step[] {
  const { settings } = facts;
  if (!settings || apps.length === 0) return [];
  const steps: Step[] = [
    {
      kind: 'write',
      title: `Write mongodump's password file ${MONGODUMP_CONFIG}`,
      path: MONGODUMP_CONFIG,
      content: `password: ${JSON.stringify(settings.admin.password.reveal())}\n`,
      mode: 0o600,
      owner: ROOT_OWNER,
      secrets: [settings.admin.password],
    },
  ];
  for (const app of apps) {
    const archive = mongoBackupArchive(dir, app);
    const partial = `${archive}.partial`;
    steps.push(
      {
        kind: 'run',
        title: `Back up the MongoDB database ${app} to ${archive}`,
        argv: mongodumpArgv(settings, app, partial.slice(dir.length + 1)),
        cwd: hostPath(dir),
        live: true,
        timeoutMs: MONGODUMP_TIMEOUT_MS,
        hint: `check that ${MONGODB_UNIT} runs; nothing has been removed yet`,
      },
      { kind: 'move', title: `Keep the backup of ${app} as ${archive}`, from: partial, to: archive },
    );
  }
  steps.push({ kind: 'remove', title: `Remove mongodump's password file ${MONGODUMP_CONFIG}`, path: MONGODUMP_CONFIG });
  return steps;
}

/** The app's MongoDB user and database dropped (remove-app --purge, uninit-server --purge-data). */
export function mongoAppDropStep(settings: MongoSettings, app: string): RunStep {
  const env: StepEnv = { ...adminEnv(settings), CINECTL_APP: app };
  return {
    kind: 'run',
    title: `Drop the MongoDB database ${app} and its user`,
    argv: mongoshArgv(settings, mongoshScript('drop-app.js')),
    env,
    unless: {
      kind: 'command-succeeds',
      argv: mongoshArgv(settings, mongoshScript('app-dropped.js')),
      env,
      timeoutMs: MONGOSH_TIMEOUT_MS,
    },
    live: true,
    timeoutMs: MONGOSH_TIMEOUT_MS,
    hint: `check that ${MONGODB_UNIT} runs and that the admin account in ${MONGO_CONFIG} can log in`,
  };
}
