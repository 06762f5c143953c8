// The MongoDB steps run through the real executor against stand-ins for `mongosh` and `mongodump`: small
// executables first on PATH that record their argv, the names of the CINECTL_* variables they got and their stdin.
// The mongosh stand-in runs the real script it is given (packages/cinectl/mongosh/*.js) against a small in-memory MongoDB
// kept in a file: users with passwords and roles, databases, logins, the localhost exception and the privileges the
// scripts rely on, so a wrong variable name, role or check in a script fails here. What is checked is the process
// boundary too: passwords reach the commands through the environment or a 0600 file, and never appear in argv, in
// the log file under the root, or in what cinectl prints.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../src/commands/run-plan.ts';
import { StepFailedError } from '../src/errors.ts';
import { executePlan } from '../src/host/executor.ts';
import { realHostIO } from '../src/host/io.ts';
import { gatherMongoFacts } from '../src/host/mongo-facts.ts';
import { createSilentLogger } from '../src/log.ts';
import {
  type MongoServerFacts,
  mongoAppDropStep,
  mongoAppUserStep,
  mongoBackupDir,
  mongoBackupSteps,
  mongoServerSteps,
  mongoshScript,
} from '../src/plan/mongo.ts';
import { Sensitive } from '../src/plan/sensitive.ts';
import type { Plan, Step } from '../src/plan/types.ts';
import { backupDirSteps } from '../src/plan/uninit-server.ts';
import { readMongoSettings } from '../src/state/mongo-config.ts';
import { testContext } from './support/context.ts';
import { makeRoot, removeRoot } from './support/root.ts';

const ADMIN_PASSWORD = 'a'.repeat(64);
const APP_PASSWORD = `${'9'.repeat(40)}${'e'.repeat(24)}`;

/** A stand-in for mongosh and mongodump: one script, told apart by the name it is started under. */
const STAND_IN = `
const { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { basename, resolve } = require('node:path');
const vm = require('node:vm');
const tool = basename(process.argv[1]);
const args = process.argv.slice(2);
const env = process.env;
const stateFile = env.STAND_IN_STATE;
// users: "db/name" → { pwd, roles: [{ role, db }] }; dbs: the databases that hold data.
const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : { users: {}, dbs: [] };
const loaded = JSON.stringify(state);
const save = () => JSON.stringify(state) === loaded || writeFileSync(stateFile, JSON.stringify(state));
const option = (name) => { const at = args.indexOf(name); return at < 0 ? undefined : args[at + 1]; };
const equals = (name) => args.find((arg) => arg.startsWith(name + '='))?.slice(name.length + 1);
const record = { tool, argv: args, env: Object.keys(env).filter((n) => n.startsWith('CINECTL_')).sort(),
  stdin: readFileSync(0, 'utf8'), cwd: process.cwd() };
const configFile = option('--config');
if (configFile) record.configMode = (statSync(configFile).mode & 0o777).toString(8);
appendFileSync(env.STAND_IN_RECORD, JSON.stringify(record) + '\\n');

class MongoServerError extends Error {}
const fail = (message) => { throw new MongoServerError(message); };
const isRoot = (key) => (state.users[key]?.roles ?? []).some((role) => role.role === 'root' && role.db === 'admin');

if (tool === 'mongodump') {
  const password = /^password: "(.*)"$/m.exec(readFileSync(configFile, 'utf8'))?.[1];
  const key = 'admin/' + equals('--username');
  if (state.users[key]?.pwd !== password || !isRoot(key)) {
    process.stderr.write('Failed: authentication failed\\n');
    process.exit(1);
  }
  writeFileSync(resolve(equals('--archive')), 'archive of ' + equals('--db'));
  process.exit(0);
}

// mongosh --file SCRIPT: the script runs with db (the database of the URI), quit() and process.env, as in mongosh.
const ROLES = { admin: ['root'], any: ['read', 'readWrite', 'dbAdmin', 'dbOwner', 'userAdmin'] };
const loggedIn = new Set();
const hasRoot = () => [...loggedIn].some(isRoot);
const needRoot = (command) => hasRoot() || fail('command ' + command + ' requires authentication');
const checkRoles = (roles) => {
  if (!Array.isArray(roles)) fail('"roles" must be an array');
  for (const { role, db } of roles) {
    const known = (db === 'admin' && ROLES.admin.includes(role)) || ROLES.any.includes(role);
    if (!known || typeof db !== 'string') fail('No role named ' + role + '@' + db);
  }
};
const checkPassword = (pwd) => (typeof pwd === 'string' && pwd.length > 0) || fail('"pwd" must be a non-empty string');
function database(name) {
  const key = (user) => name + '/' + user;
  return {
    getSiblingDB: (other) => database(other),
    auth(user, pwd) {
      if (typeof user !== 'string' || state.users[key(user)]?.pwd !== pwd) fail('Authentication failed.');
      loggedIn.add(key(user));
      return { ok: 1 };
    },
    createUser({ user, pwd, roles }) {
      // The localhost exception: the first user needs no login.
      if (Object.keys(state.users).length > 0) needRoot('createUser');
      if (typeof user !== 'string' || user === '') fail('"user" must be a non-empty string');
      checkPassword(pwd);
      checkRoles(roles);
      if (state.users[key(user)]) fail('User "' + user + '@' + name + '" already exists');
      state.users[key(user)] = { pwd, roles };
      return { ok: 1 };
    },
    getUser(user) {
      if (!hasRoot() && !loggedIn.has(key(user))) fail('command usersInfo requires authentication');
      const found = state.users[key(user)];
      return found ? { user, db: name, roles: found.roles } : null;
    },
    updateUser(user, { pwd, roles }) {
      needRoot('updateUser');
      if (!state.users[key(user)]) fail('User ' + user + '@' + name + ' not found');
      checkPassword(pwd);
      checkRoles(roles);
      state.users[key(user)] = { pwd, roles };
      return { ok: 1 };
    },
    dropUser(user) {
      needRoot('dropUser');
      const found = key(user) in state.users;
      delete state.users[key(user)];
      return found;
    },
    dropDatabase() {
      needRoot('dropDatabase');
      state.dbs = state.dbs.filter((db) => db !== name);
      return { ok: 1 };
    },
    adminCommand(command) {
      if (!command.listDatabases) fail('no such command: ' + Object.keys(command)[0]);
      needRoot('listDatabases');
      return { ok: 1, databases: state.dbs.map((db) => ({ name: db })) };
    },
  };
}
class Quit { constructor(code) { this.code = code; } }
const uri = new URL(args.find((arg) => arg.startsWith('mongodb://')));
const file = option('--file');
const sandbox = { db: database(uri.pathname.slice(1) || 'test'), quit: (code = 0) => { throw new Quit(code); },
  process: { env: { ...env } } };
let exitCode = 0;
try {
  vm.runInNewContext(readFileSync(file, 'utf8'), sandbox, { filename: file });
} catch (error) {
  if (error instanceof Quit) exitCode = error.code;
  else {
    process.stderr.write((error instanceof MongoServerError ? 'MongoServerError' : error.name) + ': ' + error.message + '\\n');
    exitCode = 1;
  }
}
save();
process.exit(exitCode);
`;

interface Recorded {
  tool: string;
  argv: string[];
  env: string[];
  stdin: string;
  cwd: string;
  configMode?: string;
}

let bin: string;
const savedEnv = { PATH: process.env.PATH, record: process.env.STAND_IN_RECORD, state: process.env.STAND_IN_STATE };
const roots: string[] = [];

beforeAll(() => {
  bin = makeRoot({ nginx: false });
  for (const tool of ['mongosh', 'mongodump']) {
    writeFileSync(join(bin, tool), `#!${process.execPath}\n${STAND_IN}`);
    chmodSync(join(bin, tool), 0o755);
  }
  process.env.PATH = `${bin}:${process.env.PATH}`;
});

afterAll(() => {
  process.env.PATH = savedEnv.PATH;
  removeRoot(bin);
});

afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
  process.env.STAND_IN_RECORD = savedEnv.record;
  process.env.STAND_IN_STATE = savedEnv.state;
});

/** A throwaway root with mongodb-bin's unit, and a fresh stand-in server. */
function newRoot(): string {
  const root = makeRoot({ nginx: false });
  roots.push(root);
  mkdirSync(join(root, 'usr/lib/systemd/system'), { recursive: true });
  writeFileSync(
    join(root, 'usr/lib/systemd/system/mongodb.service'),
    '[Unit]\nDescription=MongoDB\n\n[Service]\nExecStart=/usr/bin/mongod --config /etc/mongodb.conf\n\n[Install]\nWantedBy=multi-user.target\n',
  );
  process.env.STAND_IN_RECORD = join(root, 'stand-in.jsonl');
  process.env.STAND_IN_STATE = join(root, 'stand-in-state.json');
  return root;
}

function recorded(root: string): Recorded[] {
  const file = join(root, 'stand-in.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Recorded);
}

interface StandInState {
  users: Record<string, { pwd: string; roles: { role: string; db: string }[] }>;
  dbs: string[];
}

function standInState(root: string): StandInState {
  return JSON.parse(readFileSync(join(root, 'stand-in-state.json'), 'utf8'));
}

/** The app writes its first documents: its database now exists. */
function appWritesData(root: string, app: string): void {
  const state = standInState(root);
  writeFileSync(join(root, 'stand-in-state.json'), JSON.stringify({ ...state, dbs: [...state.dbs, app] }));
}

const ADMIN_USER = { pwd: ADMIN_PASSWORD, roles: [{ role: 'root', db: 'admin' }] };

/**
 * Commands that talk to the running MongoDB are skipped on a --root tree; here the stand-ins are that MongoDB, so
 * the plan runs them on the tree.
 */
function onStandIns(title: string, steps: Step[]): Plan {
  return { title, steps: steps.map((step) => (step.kind === 'run' ? { ...step, live: false } : step)) };
}

function context(root: string, options: { dryRun?: boolean } = {}) {
  return testContext({ root, dryRun: options.dryRun ?? false }, { secret: ADMIN_PASSWORD });
}

function logText(root: string): string {
  const file = join(root, 'var/log/cinectl.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

async function setUp(root: string): Promise<{ facts: MongoServerFacts; out: string }> {
  const ctx = context(root);
  const facts = await gatherMongoFacts(ctx);
  await applyPlan(ctx, onStandIns('Set up MongoDB', mongoServerSteps(facts)));
  const settings = await readMongoSettings(root);
  if (!settings) throw new Error('mongo.json was not written');
  await applyPlan(ctx, onStandIns('Deploy myapp', [mongoAppUserStep(settings, 'myapp', new Sensitive(APP_PASSWORD))]));
  return { facts: await gatherMongoFacts(ctx), out: [...ctx.out, ...ctx.err].join('\n') };
}

function expectNoSecrets(root: string, printed: string): void {
  const calls = recorded(root);
  expect(calls.length).toBeGreaterThan(0);
  for (const secret of [ADMIN_PASSWORD, APP_PASSWORD]) {
    expect(JSON.stringify(calls)).not.toContain(secret);
    expect(logText(root)).not.toContain(secret);
    expect(printed).not.toContain(secret);
  }
}

describe('MongoDB steps at the process boundary', () => {
  it('creates the admin user and the app user with passwords passed in the environment only', async () => {
    const root = newRoot();
    const { out } = await setUp(root);

    expect(standInState(root).users).toEqual({
      'admin/cinectl-admin': ADMIN_USER,
      'myapp/myapp': {
        pwd: APP_PASSWORD,
        roles: [
          { role: 'readWrite', db: 'myapp' },
          { role: 'dbAdmin', db: 'myapp' },
        ],
      },
    });
    const calls = recorded(root);
    expect(calls.map((call) => `${call.tool} ${call.argv.at(-1)?.split('/').at(-1)}`)).toEqual([
      'mongosh admin-ready.js',
      'mongosh create-admin.js',
      'mongosh app-user-ready.js',
      'mongosh ensure-app-user.js',
    ]);
    expect(calls[1]?.env).toEqual(['CINECTL_ADMIN_PASSWORD', 'CINECTL_ADMIN_USER']);
    expect(calls[3]?.env).toEqual([
      'CINECTL_ADMIN_PASSWORD',
      'CINECTL_ADMIN_USER',
      'CINECTL_APP',
      'CINECTL_APP_PASSWORD',
    ]);
    expect(calls.every((call) => call.stdin === '')).toBe(true);
    expectNoSecrets(root, out);
    expect(logText(root)).toContain('"env":["CINECTL_ADMIN_USER","CINECTL_ADMIN_PASSWORD"]');
    expect(statSync(join(root, 'etc/cinectl/mongo.json')).mode & 0o777).toBe(0o600);
  });

  it('changes nothing on a second run: the stand-in answers that both users log in', async () => {
    const root = newRoot();
    const { facts } = await setUp(root);
    const before = recorded(root).length;
    const ctx = context(root);
    const settings = facts.settings;
    if (!settings) throw new Error('no settings');
    await applyPlan(ctx, onStandIns('Set up MongoDB', mongoServerSteps(facts)));
    await applyPlan(
      ctx,
      onStandIns('Deploy myapp', [mongoAppUserStep(settings, 'myapp', new Sensitive(APP_PASSWORD))]),
    );
    expect(ctx.out).toEqual([
      // Starting and waiting need the running system, so a --root tree skips them.
      'Set up MongoDB: 0 changed, 5 unchanged, 3 skipped (cannot act on a --root tree)',
      'Deploy myapp: 0 changed, 1 unchanged',
    ]);
    expect(
      recorded(root)
        .slice(before)
        .map((call) => call.argv.at(-1)?.split('/').at(-1)),
    ).toEqual(['admin-ready.js', 'app-user-ready.js']);
  });

  it('stops with a hint when MongoDB already has users that cinectl does not know', async () => {
    const root = newRoot();
    const someone = { pwd: 'x'.repeat(20), roles: [{ role: 'root', db: 'admin' }] };
    writeFileSync(join(root, 'stand-in-state.json'), JSON.stringify({ users: { 'admin/someone': someone }, dbs: [] }));
    const ctx = context(root);
    const facts = await gatherMongoFacts(ctx);
    const error = await applyPlan(ctx, onStandIns('Set up MongoDB', mongoServerSteps(facts))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailedError);
    expect((error as StepFailedError).message).toMatch(
      /Create the MongoDB admin user cinectl-admin.*requires authentication/,
    );
    expect((error as StepFailedError).hint).toMatch(/first user .*\/etc\/cinectl\/mongo\.json/);
    expectNoSecrets(root, (error as Error).message);
  });

  it('backs up every app database with mongodump reading the password from a 0600 file it removes', async () => {
    const root = newRoot();
    const { facts } = await setUp(root);
    const dir = mongoBackupDir('20250314T091500Z');
    const ctx = context(root);
    const steps = [...backupDirSteps(dir), ...mongoBackupSteps(facts, ['myapp', 'other'], dir)];
    await applyPlan(ctx, onStandIns('Back up', steps));

    expect(readFileSync(join(root, dir, 'myapp.archive.gz'), 'utf8')).toBe('archive of myapp');
    expect(readFileSync(join(root, dir, 'other.archive.gz'), 'utf8')).toBe('archive of other');
    expect(statSync(join(root, dir)).mode & 0o777).toBe(0o700);
    expect(existsSync(join(root, 'etc/cinectl/mongodump.yaml'))).toBe(false);
    const dumps = recorded(root).filter((call) => call.tool === 'mongodump');
    expect(dumps).toHaveLength(2);
    expect(dumps[0]?.argv).toContain(join(root, 'etc/cinectl/mongodump.yaml'));
    expect(dumps.map((call) => call.configMode)).toEqual(['600', '600']);
    expect(dumps.map((call) => call.cwd)).toEqual([join(root, dir), join(root, dir)]);
    expectNoSecrets(root, ctx.out.join('\n'));
  });

  it("drops the app's user and database, then finds nothing to drop", async () => {
    const root = newRoot();
    const { facts } = await setUp(root);
    if (!facts.settings) throw new Error('no settings');
    appWritesData(root, 'myapp');
    appWritesData(root, 'other');
    const ctx = context(root);
    const drop = onStandIns('Purge', [mongoAppDropStep(facts.settings, 'myapp')]);
    await applyPlan(ctx, drop);
    expect(standInState(root)).toEqual({ users: { 'admin/cinectl-admin': ADMIN_USER }, dbs: ['other'] });
    await applyPlan(ctx, drop);
    expect(ctx.out).toEqual(['Purge: 1 changed, 0 unchanged', 'Purge: 0 changed, 1 unchanged']);
    expectNoSecrets(root, ctx.out.join('\n'));
  });

  it('finds a database that is left (with its user gone) and drops it', async () => {
    const root = newRoot();
    const { facts } = await setUp(root);
    if (!facts.settings) throw new Error('no settings');
    appWritesData(root, 'myapp');
    const state = standInState(root);
    delete state.users['myapp/myapp'];
    writeFileSync(join(root, 'stand-in-state.json'), JSON.stringify(state));
    const ctx = context(root);
    await applyPlan(ctx, onStandIns('Purge', [mongoAppDropStep(facts.settings, 'myapp')]));
    expect(ctx.out).toEqual(['Purge: 1 changed, 0 unchanged']);
    expect(standInState(root).dbs).toEqual([]);
  });

  it('negative controls: the stand-in runs the script it is given, so a slip in one fails', async () => {
    const root = newRoot();
    const { facts } = await setUp(root);
    if (!facts.settings) throw new Error('no settings');
    const env = {
      ...process.env,
      CINECTL_ADMIN_USER: 'cinectl-admin',
      CINECTL_ADMIN_PASSWORD: ADMIN_PASSWORD,
      CINECTL_APP: 'myapp',
      CINECTL_APP_PASSWORD: APP_PASSWORD,
    };
    /** Runs a copy of a real script with one change through the mongosh stand-in; returns its exit code. */
    const runChanged = (name: string, from: string, to: string): number => {
      const text = readFileSync(mongoshScript(name), 'utf8');
      expect(text).toContain(from);
      const copy = join(root, name);
      writeFileSync(copy, text.replaceAll(from, to));
      try {
        execFileSync('mongosh', ['--quiet', '--norc', 'mongodb://127.0.0.1:27017/admin', '--file', copy], {
          env,
          stdio: 'pipe',
        });
        return 0;
      } catch (error) {
        return (error as { status: number }).status;
      }
    };
    expect(runChanged('app-user-ready.js', '`dbAdmin@', '`dbAdmin@')).toBe(0);
    expect(runChanged('app-user-ready.js', '`dbAdmin@', '`dbOwner@')).toBe(1);
    expect(runChanged('app-user-ready.js', 'CINECTL_APP_PASSWORD', 'CINECTL_PASSWORD')).toBe(1);
    expect(runChanged('ensure-app-user.js', 'CINECTL_APP_PASSWORD', 'CINECTL_PASSWORD')).toBe(1);
    expect(runChanged('ensure-app-user.js', "role: 'dbAdmin'", "role: 'dbAdmn'")).toBe(1);
    expect(runChanged('admin-ready.js', 'CINECTL_ADMIN_PASSWORD', 'CINECTL_PASSWORD')).toBe(1);
    expect(runChanged('drop-app.js', "db.getSiblingDB('admin').auth", '({ auth: () => {} }).auth')).toBe(1);
    expect(standInState(root).users['myapp/myapp']?.pwd).toBe(APP_PASSWORD);
  });

  it('shows environment secrets as [REDACTED] in a dry run, which changes nothing', async () => {
    const root = newRoot();
    const ctx = context(root, { dryRun: true });
    const facts = await gatherMongoFacts(ctx);
    await applyPlan(ctx, onStandIns('Set up MongoDB', mongoServerSteps(facts)));
    const out = ctx.out.join('\n');
    expect(out).toContain("CINECTL_ADMIN_USER=cinectl-admin 'CINECTL_ADMIN_PASSWORD=[REDACTED]' mongosh --quiet");
    expect(out).toContain('+    "password": "[REDACTED]"');
    expect(out).not.toContain(ADMIN_PASSWORD);
    expect(existsSync(join(root, 'etc/cinectl/mongo.json'))).toBe(false);
    expect(existsSync(join(root, 'stand-in-state.json'))).toBe(false);
    expect(logText(root)).toBe('');
  });
});

describe('waiting for mongod', () => {
  const plan = (port: number, timeoutMs: number): Plan => {
    const [, , , , wait] = mongoServerSteps({
      configText: `net:\n  port: ${port}\n`,
      settings: null,
      newAdminPassword: new Sensitive(ADMIN_PASSWORD),
    });
    if (wait?.kind !== 'check' || wait.probe.kind !== 'tcp-listening') throw new Error('no wait step');
    return { title: 'Wait', steps: [{ ...wait, probe: { ...wait.probe, timeoutMs } }] };
  };
  const run = (p: Plan) => executePlan(p, { root: '/', io: realHostIO, log: createSilentLogger(), renderer: 'silent' });

  it('passes once something accepts connections on the port', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    try {
      expect((await run(plan(address.port, 5_000))).map((result) => result.outcome)).toEqual(['checked']);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('fails with a hint naming journalctl when nothing ever listens', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    await new Promise((done) => server.close(done));
    if (!address || typeof address === 'string') throw new Error('no port');
    const error = await run(plan(address.port, 600)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailedError);
    expect((error as StepFailedError).message).toContain(
      `MongoDB did not come up: 127.0.0.1:${address.port} accepts connections within 600 ms did not hold`,
    );
    expect((error as StepFailedError).hint).toMatch(/^look at journalctl -u mongodb\.service/);
  });
});
