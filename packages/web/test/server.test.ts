import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/ports.ts';

const serverFile = resolve(import.meta.dirname, '../src/server.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'cinestream-server-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function run(env: Record<string, string>) {
  return promisify(execFile)(process.execPath, [serverFile], {
    env: { PATH: process.env.PATH, ...env },
    timeout: 10_000,
  }).then(
    (ok) => ({ code: 0, stderr: ok.stderr }),
    (failed: { code: number; stderr: string }) => ({ code: failed.code, stderr: failed.stderr }),
  );
}

describe('server process', () => {
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
  }, 20_000);

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
    for (let attempt = 0; attempt < 100 && !output.includes('listening'); attempt++) {
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
  }, 20_000);
});
