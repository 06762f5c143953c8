import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/ports.ts';

const serverFile = resolve(import.meta.dirname, '../src/server.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'cinestream-server-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Long enough for a start-up on a loaded machine plus MongoDB's 5 s server selection. */
const START_LIMIT_MS = 30_000;
const TEST_LIMIT_MS = START_LIMIT_MS + 5_000;

function run(env: Record<string, string>, nodeOptions: string[] = []) {
  return promisify(execFile)(process.execPath, [...nodeOptions, serverFile], {
    env: { PATH: process.env.PATH, ...env },
    timeout: START_LIMIT_MS,
  }).then(
    (ok) => ({ code: 0, stderr: ok.stderr }),
    (failed: { code: number; stderr: string }) => ({ code: failed.code, stderr: failed.stderr }),
  );
}

describe('server process', { timeout: TEST_LIMIT_MS }, () => {
  it('refuses a bad environment with one line per problem and no stack trace', async () => {
    const { code, stderr } = await run({ PORT: 'eighty', MONGO_URI: 'localhost:27017', DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid configuration:');
    expect(stderr).toContain('PORT: must be a port number');
    expect(stderr).toContain('MONGO_URI: must look like mongodb://');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('says clearly when MongoDB cannot be reached', async () => {
    const port = await freePort();
    const { code, stderr } = await run({ MONGO_URI: `mongodb://127.0.0.1:${port}/cinestream`, DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot reach MongoDB at 127.0.0.1:${port}`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  /** Node options that run `code` once the server watches for uncaught exceptions, i.e. once it has started. */
  function afterStart(name: string, code: string): string[] {
    const preload = join(dataDir, `${name}.mjs`);
    writeFileSync(
      preload,
      `const timer = setInterval(() => {
        if (process.listenerCount('uncaughtException') === 0) return;
        clearInterval(timer);
        ${code};
      }, 20);`,
    );
    return [`--import=${pathToFileURL(preload).href}`];
  }

  for (const [what, name, code] of [
    ['uncaught exception', 'throw', "throw new Error('cannot reach mongodb://app:hunter2@127.0.0.1/db')"],
    [
      'unhandled promise rejection',
      'reject',
      "Promise.reject(new Error('cannot reach mongodb://app:hunter2@127.0.0.1/db'))",
    ],
  ] as const) {
    it(`logs an ${what}, redacted, and exits with code 1`, async () => {
      const port = await freePort();
      const env = { NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(32), PORT: String(port), DATA_DIR: dataDir };
      const { code: exitCode, stderr } = await run(env, afterStart(name, code));
      expect(exitCode).toBe(1);
      expect(stderr).toContain(`"level":"error","message":"${what}"`);
      expect(stderr).toContain('cannot reach mongodb://app:[REDACTED]@127.0.0.1/db');
      expect(stderr).not.toContain('hunter2');
    });
  }

  it('starts with no configuration, serves the site and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [serverFile], {
      env: { PATH: process.env.PATH, PORT: String(port), DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    for (let waited = 0; waited < START_LIMIT_MS && !output.includes('listening'); waited += 100) {
      await new Promise((done) => setTimeout(done, 100));
    }
    expect(output).toContain('SECRET_KEY is not set');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', port, store: 'sqlite' });
    const page = await fetch(`http://127.0.0.1:${port}/uk/city/kyiv`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Демонстраційні дані');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
