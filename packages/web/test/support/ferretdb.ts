import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.ts';

export interface FerretDb {
  /** `mongodb://127.0.0.1:PORT` (with the user when started with one). */
  uri: string;
  port: number;
  /** Ends the server; its data stays for `start`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  close(): Promise<void>;
}

export interface FerretDbOptions {
  /** A user FerretDB creates on its first start, checked by SCRAM on every connection. */
  user?: { name: string; password: string; database: string };
}

/** FerretDB on a free loopback port with its SQLite backend in a temporary folder of its own. */
export async function startFerretDb(binary: string, options: FerretDbOptions = {}): Promise<FerretDb> {
  const dir = mkdtempSync(join(tmpdir(), 'cinestream-ferretdb-'));
  mkdirSync(join(dir, 'data'));
  const port = await freePort();
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${dir}/data/`,
    `--state-dir=${dir}`,
    `--listen-addr=127.0.0.1:${port}`,
    '--debug-addr=-',
    '--telemetry=disable',
    '--log-level=ERROR',
  ];
  const { user } = options;
  if (user) {
    args.push('--test-enable-new-auth', `--setup-database=${user.database}`);
    args.push(`--setup-username=${user.name}`, `--setup-password=${user.password}`);
  }
  let server: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    server = child;
    const deadline = Date.now() + 15_000;
    while (!(await listening(port))) {
      if (child.exitCode !== null) throw new Error(`FerretDB exited with ${child.exitCode}: ${output.trim()}`);
      if (Date.now() > deadline) throw new Error(`FerretDB did not listen on ${port} within 15 s: ${output.trim()}`);
      await sleep(50);
    }
  };
  const stop = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };

  await start();
  const credentials = user ? `${encodeURIComponent(user.name)}:${encodeURIComponent(user.password)}@` : '';
  return {
    uri: `mongodb://${credentials}127.0.0.1:${port}${user ? `/${user.database}` : ''}`,
    port,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
