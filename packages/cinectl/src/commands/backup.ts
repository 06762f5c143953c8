import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as sqlite from 'node:sqlite';
import { DatabaseSync } from 'node:sqlite';
import { startAudit } from '../audit.ts';
import { CinectlError } from '../errors.ts';
import { resolveOwner } from '../host/accounts.ts';
import { underRoot } from '../host/root.ts';
import { startPlan, stopPlan } from '../plan/app-services.ts';
import {
  appBackupDir,
  backupFileName,
  backupsToPrune,
  mongodumpAppArgv,
  mongorestoreAppArgv,
  parseKeep,
} from '../plan/backup.ts';
import { appPaths } from '../plan/layout.ts';
import { releaseName } from '../plan/release.ts';
import { envValue } from '../state/app-state.ts';
import type { DeployConfig } from '../state/deploy-config.ts';
import type { CommandContext } from './context.ts';
import { requireApp } from './find-app.ts';
import { applyPlan } from './run-plan.ts';

/** The site's SQLite store in its data directory (packages/web/src/config.ts: DATA_DIR/cinestream.db). */
const SQLITE_FILE = 'cinestream.db';

interface Store {
  kind: 'sqlite' | 'mongodb';
  /** The SQLite file on this machine; the MongoDB URI of the app's own user. */
  location: string;
}

async function storeOf(ctx: CommandContext, app: string): Promise<Store> {
  const { root } = ctx.options;
  const mongoUri = await envValue(root, app, 'MONGO_URI');
  if (mongoUri) return { kind: 'mongodb', location: mongoUri };
  return { kind: 'sqlite', location: underRoot(root, `${appPaths(app).dataDir}/${SQLITE_FILE}`) };
}

/** Runs a MongoDB tool with the app's URI in a 0600 file of cinectl's own temp directory, never in argv. */
async function withMongoConfig<T>(uri: string, use: (configFile: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cinectl-mongo-'));
  try {
    const file = join(dir, 'tool.yaml');
    writeFileSync(file, `uri: ${JSON.stringify(uri)}\n`, { mode: 0o600 });
    return await use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runTool(ctx: CommandContext, argv: string[], what: string): Promise<void> {
  const result = await ctx.io.exec(argv, { timeoutMs: 3_600_000 });
  if (result.exitCode !== 0 || result.failure) {
    const last = (result.failure ?? result.stderr.trim().split('\n').at(-1)) || `exit code ${result.exitCode}`;
    throw new CinectlError(`${what} failed: ${last}`, { hint: 'is MongoDB running? cinectl status shows it' });
  }
}

/** The copy keeps the store's WAL mode; a backup is one self-contained file (no -wal or -shm beside it). */
function asSingleFile(file: string): void {
  const copy = new DatabaseSync(file);
  try {
    copy.exec('PRAGMA journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** One backup of the app's store into `dir` (0700), the file 0600; older ones beyond `keep` removed. */
async function takeBackup(ctx: CommandContext, app: DeployConfig, dir: string, keep: number): Promise<string> {
  const store = await storeOf(ctx, app.name);
  const existing = existsSync(dir) ? readdirSync(dir) : [];
  const stamp = releaseName(
    ctx.clock(),
    existing.map((name) => name.replace(/^.*?-(\d{8}T\d{6}Z(-\d+)?)\..*$/, '$1')),
  );
  const file = join(dir, backupFileName(app.name, stamp, store.kind));
  if (store.kind === 'sqlite' && !existsSync(store.location)) {
    throw new CinectlError(`${app.name} has no SQLite store at ${store.location} yet`, {
      hint: `it is made when the site first starts: cinectl start ${app.name}`,
    });
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (store.kind === 'sqlite') {
    // SQLite's online backup: a consistent copy while the workers go on reading and writing.
    const db = new DatabaseSync(store.location, { readOnly: true });
    try {
      await sqliteBackup(db, file);
    } finally {
      db.close();
    }
    asSingleFile(file);
  } else {
    await withMongoConfig(store.location, (config) =>
      runTool(ctx, mongodumpAppArgv(config, app.name, file), `mongodump of ${app.name}`),
    );
  }
  chmodSync(file, 0o600);
  for (const old of backupsToPrune(app.name, readdirSync(dir), keep)) rmSync(join(dir, old), { force: true });
  return file;
}

function backupDirOf(ctx: CommandContext, app: string, to: string | undefined): string {
  return to === undefined ? underRoot(ctx.options.root, appBackupDir(app)) : resolve(to);
}

/** node:sqlite's online backup, which Node has from 22.16 on (engines allows 22.13): a clear line before that. */
function sqliteBackup(db: DatabaseSync, file: string): Promise<number> {
  const backup = (sqlite as Partial<typeof sqlite>).backup;
  if (typeof backup !== 'function') {
    throw new CinectlError(`SQLite backups need Node.js 22.16 or newer; this is ${process.version}`, {
      hint: 'update Node.js (pacman -S nodejs) and run the command again',
    });
  }
  return backup(db, file);
}

/** backup APP [--to DIR] [--keep N]: SQLite's online backup, or mongodump with the app's own user. */
export async function backup(
  ctx: CommandContext,
  name: string,
  options: { to?: string; keep?: string },
): Promise<void> {
  const { app } = await requireApp(ctx.options.root, name);
  const keep = parseKeep(options.keep);
  const dir = backupDirOf(ctx, app.name, options.to);
  if (ctx.options.dryRun) {
    ctx.print(
      `dry run: ${app.name}'s ${(await storeOf(ctx, app.name)).kind} store would be backed up into ${dir}/, keeping the newest ${keep}`,
    );
    return;
  }
  startAudit(ctx.options.root);
  const file = await takeBackup(ctx, app, dir, keep);
  ctx.print(`${app.name}: backed up to ${file} (${statSync(file).size} bytes)`);
}

/** Puts a SQLite backup in place of the store: its WAL files go, the file keeps the app's ownership. */
async function replaceSqlite(ctx: CommandContext, app: string, from: string, to: string): Promise<void> {
  const source = new DatabaseSync(from, { readOnly: true });
  try {
    const check = source.prepare('PRAGMA quick_check').get() as { quick_check?: string } | undefined;
    if (check?.quick_check !== 'ok')
      throw new CinectlError(`${from} is not a sound SQLite database`, { hint: 'pick another backup' });
    for (const suffix of ['-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
    await sqliteBackup(source, to);
  } finally {
    source.close();
  }
  chmodSync(to, 0o600);
  const owner = await resolveOwner(ctx.options.root, { user: app, group: app });
  if (owner && ctx.io.isSuperuser()) chownSync(to, owner.uid, owner.gid);
}

/**
 * restore APP FILE: asks first (unless --yes), takes a backup of the data as it is now, stops the workers, puts
 * FILE in place (SQLite) or mongorestores it with the app's own user, and starts the workers again.
 */
export async function restore(ctx: CommandContext, name: string, file: string): Promise<void> {
  const { root, yes, dryRun } = ctx.options;
  const { app } = await requireApp(root, name);
  const from = resolve(file);
  if (!existsSync(from) || !statSync(from).isFile()) {
    throw new CinectlError(`there is no backup file ${from}`, {
      hint: `cinectl backup ${app.name} makes one`,
      exitCode: 2,
    });
  }
  const store = await storeOf(ctx, app.name);
  if (dryRun) {
    ctx.print(
      `dry run: ${app.name}'s data would be backed up, its workers stopped, ${from} restored, and the workers started`,
    );
    return;
  }
  if (
    !yes &&
    !(await ctx.confirm(`Replace ${app.name}'s data with ${from}? (a backup of the data as it is now is taken first)`))
  ) {
    throw new CinectlError(`restore of ${app.name} was not confirmed; nothing was changed`, {
      hint: 'answer y at the question, or add --yes',
      exitCode: 2,
    });
  }
  startAudit(root);
  const hasData = store.kind === 'mongodb' || existsSync(store.location);
  if (hasData) {
    const before = await takeBackup(ctx, app, underRoot(root, appBackupDir(app.name)), Number.MAX_SAFE_INTEGER);
    ctx.print(`${app.name}: the data as it was is in ${before}`);
  }
  await applyPlan(ctx, stopPlan({ app: app.name, ports: app.ports }));
  if (store.kind === 'sqlite') await replaceSqlite(ctx, app.name, from, store.location);
  else {
    await withMongoConfig(store.location, (config) =>
      runTool(ctx, mongorestoreAppArgv(config, app.name, from), `mongorestore of ${app.name}`),
    );
  }
  ctx.print(`${app.name}: restored from ${from}`);
  await applyPlan(ctx, startPlan({ app: app.name, ports: app.ports }));
}
