import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { serializeDeployConfig } from '../src/state/deploy-config.ts';
import { cinectl } from './support/cli.ts';
import { freePort } from './support/local-stack.ts';
import { makeRoot, removeRoot } from './support/root.ts';

const SERVER = join(import.meta.dirname, '../../web/dist/server.js');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

/** A real site worker on the root's data directory: the SQLite store it writes is the one cinectl backs up. */
async function startWorker(dataDir: string, port: number): Promise<ChildProcess> {
  const worker = spawn(process.execPath, [SERVER], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      SECRET_KEY: 'f'.repeat(64),
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_PATH: '/films',
      LOG_LEVEL: 'error',
    },
    stdio: 'ignore',
  });
  cleanups.push(() => worker.kill('SIGKILL'));
  for (let tries = 0; tries < 200; tries++) {
    const answer = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (answer?.ok) return worker;
    await sleep(50);
  }
  throw new Error('the worker did not become healthy');
}

async function stopWorker(worker: ChildProcess): Promise<void> {
  const exited = new Promise((done) => worker.once('exit', done));
  worker.kill('SIGTERM');
  await exited;
}

/** New visitors: each page view without the visitor cookie is counted in the store. */
async function visit(port: number, times: number): Promise<void> {
  for (let i = 0; i < times; i++) expect((await fetch(`http://127.0.0.1:${port}/films/en/`)).status).toBe(200);
}

function visitors(file: string): number {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return Number((db.prepare('SELECT SUM(value) AS total FROM stats').get() as { total: number }).total);
  } finally {
    db.close();
  }
}

describe('cinectl backup and restore (SQLite)', () => {
  it('backs up a running site online, and restore brings that data back after taking a backup first', async () => {
    const root = makeRoot();
    cleanups.push(() => removeRoot(root));
    const port = await freePort();
    mkdirSync(join(root, 'var/www/films'), { recursive: true });
    writeFileSync(
      join(root, 'var/www/films/.deploy_config'),
      serializeDeployConfig({
        name: 'films',
        ports: [port],
        domain: null,
        created: '2025-03-14T09:15:00.000Z',
        release: null,
      }),
    );
    const dataDir = join(root, 'var/lib/films');
    mkdirSync(dataDir, { recursive: true });
    const worker = await startWorker(dataDir, port);
    await visit(port, 3);

    const saved = await cinectl(['--root', root, 'backup', 'films']);
    expect(saved.stderr).toBe('');
    const file = /backed up to (\S+) /.exec(saved.stdout)?.[1] ?? '';
    expect(file).toMatch(new RegExp(`^${root}/var/backups/cinestream/films/films-\\d{8}T\\d{6}Z\\.db$`));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(visitors(file)).toBe(3);

    await visit(port, 2);
    await stopWorker(worker);
    const restored = await cinectl(['--root', root, '--yes', 'restore', 'films', file]);
    expect(restored.stderr).toBe('');
    expect(restored.exitCode).toBe(0);
    expect(restored.stdout).toMatch(/films: the data as it was is in \S+films-\d{8}T\d{6}Z(-\d+)?\.db\n/);
    expect(visitors(join(dataDir, 'cinestream.db'))).toBe(3);
    const backups = readdirSync(join(root, 'var/backups/cinestream/films'));
    expect(backups).toHaveLength(2);
    expect(backups.map((name) => visitors(join(root, 'var/backups/cinestream/films', name))).sort()).toEqual([3, 5]);

    await startWorker(dataDir, port);
    await visit(port, 1);
    expect(visitors(join(dataDir, 'cinestream.db'))).toBe(4);
  });
});
