// The site's processes on a server speaking MongoDB's protocol (FerretDB): db:init, a worker serving a city,
// twelve processes writing at once, and what an operator meets when the database refuses, is down or goes away.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VISITOR_COUNTER } from '../../src/domain/visitors.ts';
import { openMongoStore } from '../../src/store/mongo.ts';
import { ferretdb } from '../support/checkers.ts';
import { type FerretDb, startFerretDb } from '../support/ferretdb.ts';
import { freePort } from '../support/ports.ts';

const binary = ferretdb();
const web = resolve(import.meta.dirname, '../..');
const serverFile = join('src/server.ts');
const dbInitFile = join('src/scripts/db-init.ts');
const writerFile = join('test/fixtures/mongo-writer.ts');
const USER = { name: 'app', password: 'right-password', database: 'cinestream' };
const PROCESSES = 12;
const SECRET_KEY = 'k'.repeat(32);
const WRITES = 5;

function join(path: string): string {
  return resolve(web, path);
}

function node(args: string[], env: Record<string, string>) {
  const base = { PATH: process.env.PATH, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE };
  return promisify(execFile)(process.execPath, args, { env: { ...base, ...env }, timeout: 50_000 }).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );
}

/** A worker of the site on MONGO_URI; its output collects in `output`. */
async function startSite(uri: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [serverFile], {
    cwd: web,
    env: {
      PATH: process.env.PATH,
      NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE,
      PORT: String(port),
      MONGO_URI: uri,
      SECRET_KEY,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  await until(
    () => output.includes('listening'),
    () => `the site did not start: ${output}`,
  );
  return { url, child, output: () => output };
}

async function until(condition: () => boolean | Promise<boolean>, what: () => string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

const status = (url: string) =>
  fetch(url).then(
    (response) => response.status,
    () => 0,
  );

describe.skipIf(binary.skip)(binary.skip ? `site on FerretDB: SKIPPED, ${binary.skip}` : 'site on FerretDB', () => {
  let server: FerretDb;

  beforeAll(async () => {
    // Without users: SCRAM on every new connection slows twelve processes down many times over.
    server = await startFerretDb(binary.path);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('db:init creates the collections, then finds nothing to do', async () => {
    const env = { MONGO_URI: server.uri, MONGO_DB: 'init' };
    const first = await node([dbInitFile], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created collection movies');
    expect(first.stdout).toContain('created index movies_city_days');
    expect(first.stdout).toContain('added city kyiv');
    const second = await node([dbInitFile], env);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout.trim()).toBe('MongoDB: up to date (no changes)');
  }, 30_000);

  it('counts every visit and keeps every showtime when 12 processes write at once', async () => {
    const startAt = String(Date.now() + 2_000);
    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, (_, index) =>
        node([writerFile, server.uri, 'writers', String(index), String(WRITES), startAt], {}),
      ),
    );
    expect(runs.map((run) => `${run.code} ${run.stderr}`)).toEqual(Array(PROCESSES).fill('0 '));
    const store = await openMongoStore(server.uri, 'writers');
    try {
      expect(await store.counter(VISITOR_COUNTER)).toBe(PROCESSES * WRITES);
      const [movie] = await store.moviesFor('kyiv', { from: '2035-06-01', to: '2035-06-30' }, new Date('2035-06-01'));
      expect(movie?.theaters[0]?.showtimes).toHaveLength(PROCESSES * WRITES);
    } finally {
      await store.close();
    }
    // Twelve processes on two cores beside the rest of the suite: slow machines need the time.
  }, 60_000);

  it('serves a city, and after the database went away and came back serves it again without a restart', async () => {
    const site = await startSite(server.uri);
    try {
      expect(await status(`${site.url}/uk/city/kyiv`)).toBe(200);
      expect(await (await fetch(`${site.url}/healthz`)).json()).toMatchObject({ store: 'mongo' });
      expect(site.output()).toContain('FerretDB has no TTL indexes: expired movies are deleted by the hourly purge');

      await server.stop();
      await until(() => site.output().includes('lost MongoDB at 127.0.0.1'), site.output);
      // A visit while it is away waits for it: when the server is back within 5 s, the write is not lost.
      const visit = status(`${site.url}/uk/`);
      await new Promise((done) => setTimeout(done, 500));
      await server.start();
      expect(await visit).toBe(200);
      await until(() => site.output().includes(`MongoDB at 127.0.0.1:${server.port} is back`), site.output);
      expect(await status(`${site.url}/uk/city/lviv`)).toBe(200);
      expect(site.output().match(/lost MongoDB/g)).toHaveLength(1);
    } finally {
      site.child.kill('SIGKILL');
    }
  }, 40_000);

  // A stopped server is test/server.test.ts's "says clearly when MongoDB cannot be reached": the same refused port.
  it('says in one line when the password is wrong, naming what to check and not the password', async () => {
    const withUser = await startFerretDb(binary.path, { user: USER });
    const wrong = withUser.uri.replace('right-password', 'wrong-password');
    const refused = await node([dbInitFile], { MONGO_URI: wrong }).finally(() => withUser.close());
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(
      /^db:init: MongoDB at 127\.0\.0\.1:\d+ refused the user in MONGO_URI \(.*\): check the user name, password and authSource$/,
    );
    expect(refused.stderr).not.toContain('wrong-password');
  });
});
