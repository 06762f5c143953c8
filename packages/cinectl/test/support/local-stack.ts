// A local stand-in for a deployed server: a real nginx running cinectl's rendered files, and each app's real web
// workers on loopback, started from a root directory prepared by `cinectl --root DIR deploy-app …` (deployApps).
//
// Only what cannot work on a test machine is changed: nginx listens on a free loopback port instead of 80 (the
// `listen` lines of cinectl's files; their IPv6 ones are left out), keeps its pid, logs, temp files and microcache
// in a scratch directory, and runs from a test nginx.conf with the same include line — or, with `nginxConf: 'root'`, runs the root's own
// nginx.conf unchanged (ports 80 and 443). systemd is replaced by a small launcher that reads each
// app's unit and .env from the root and starts `node <release>/dist/server.js` per port with the environment the
// unit would give (node is the test's own node; DATA_DIR is placed under the root; the CPU affinity drop-ins are
// not applied). Every process runs in its own process group and is stopped by stop(), or killed when the test
// process exits.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { $ } from 'zx';
import { withCinectlInclude } from '../../src/plan/nginx.ts';
import { which } from './tools.ts';

export const LOOPBACK = '127.0.0.1';
const CLI = resolve(import.meta.dirname, '../../src/cli.ts');

/** nginx's path, looking in the sbin folders too (root's PATH may lack them). */
export function nginxBinary(): string | undefined {
  return which('nginx');
}

/**
 * `cinectl --root ROOT --yes deploy-app NAME [--ports FIRST]` for each app, one after the other, as a user would
 * run it; `ports` gives each app's block (under --root cinectl cannot see which ports this machine has in use).
 */
export async function deployApps(root: string, names: string[], ports: number[] = []): Promise<void> {
  for (const [index, name] of names.entries()) {
    const first = ports[index];
    const argv = [CLI, '--root', root, '--yes', 'deploy-app', name, ...(first ? ['--ports', String(first)] : [])];
    const result = await $({
      quiet: true,
      nothrow: true,
      env: { ...process.env, CI: '1' },
    })`${process.execPath} ${argv}`;
    if (!result.ok) {
      throw new Error(`cinectl deploy-app ${name} failed:\n${result.stdall.trim().split('\n').slice(-20).join('\n')}`);
    }
  }
}

export interface StackApp {
  name: string;
  ports: number[];
  domain: string | null;
}

export interface Worker {
  app: string;
  port: number;
  process: ChildProcess;
  log: string;
}

export interface StackOptions {
  /** The directory that stands for `/`, as `cinectl --root` left it. */
  root: string;
  /** Apps whose workers are started (default: every app found under the root). */
  apps?: string[];
  /** nginx worker processes (default 'auto'). */
  nginxWorkers?: number | 'auto';
  /** nginx worker_connections (default 4096). */
  workerConnections?: number;
  /**
   * 'root': run nginx on the root's own nginx.conf exactly as cinectl left it (its ports, 80 and 443, its pid file
   * and logs under the root), so it reloads the way the host's would: `nginx -s reload -c ROOT/etc/nginx/nginx.conf`.
   * Default 'copy': cinectl's files copied next to a test nginx.conf, on a free loopback port.
   */
  nginxConf?: 'copy' | 'root';
}

export interface Stack {
  root: string;
  dir: string;
  apps: StackApp[];
  nginxPort: number;
  /** nginx also serves the files of `staticDir` on this port (side-by-side benchmarks). */
  staticPort: number;
  staticDir: string;
  workers: Worker[];
  url(path: string): string;
  /** The worker answering on `port`, if it runs. */
  worker(port: number): Worker | undefined;
  /** SIGKILL one worker, as a crash would; the launcher does not restart it. */
  kill(port: number): Promise<void>;
  /** Start a killed worker again, as systemd's Restart=always would. */
  restart(port: number): Promise<void>;
  /** Make nginx load cinectl's files as they are now under the root (what `systemctl reload nginx` does on a host). */
  reloadNginx(): Promise<void>;
  stop(): Promise<void>;
}

// ---- reading the root ----

/** The real location of a host path under the root, following symlinks the way the host would. */
function onRoot(root: string, hostPath: string): string {
  let current = resolve(root);
  for (const part of hostPath.split('/').filter(Boolean)) {
    const next = join(current, part);
    let target: string | undefined;
    try {
      target = readlinkSync(next);
    } catch {
      target = undefined;
    }
    current = target === undefined ? next : isAbsolute(target) ? onRoot(root, target) : resolve(current, target);
  }
  return current;
}

export function discoverApps(root: string): StackApp[] {
  const www = onRoot(root, '/var/www');
  if (!existsSync(www)) return [];
  const apps: StackApp[] = [];
  for (const name of readdirSync(www).sort()) {
    const file = join(www, name, '.deploy_config');
    if (!existsSync(file)) continue;
    const config = JSON.parse(readFileSync(file, 'utf8')) as { name: string; ports: number[]; domain?: string | null };
    apps.push({ name: config.name, ports: config.ports, domain: config.domain ?? null });
  }
  return apps.sort((a, b) => (a.ports[0] ?? 0) - (b.ports[0] ?? 0));
}

interface UnitService {
  workingDirectory?: string;
  environmentFiles: string[];
  environment: string[];
  execStart: string[];
}

/** The [Service] settings of a unit file the launcher needs, `%i` replaced by the instance. */
function readUnit(text: string, instance: string): UnitService {
  const service: UnitService = { environmentFiles: [], environment: [], execStart: [] };
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      section = line;
      continue;
    }
    if (section !== '[Service]') continue;
    const at = line.indexOf('=');
    const key = line.slice(0, at);
    const value = line.slice(at + 1).replaceAll('%i', instance);
    if (key === 'WorkingDirectory') service.workingDirectory = value;
    else if (key === 'EnvironmentFile') service.environmentFiles.push(value);
    else if (key === 'Environment') service.environment.push(...value.split(/\s+/).filter(Boolean));
    else if (key === 'ExecStart') service.execStart = value.split(/\s+/).filter(Boolean);
  }
  return service;
}

function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const at = line.indexOf('=');
    if (at > 0)
      env[line.slice(0, at).trim()] = line
        .slice(at + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
  }
  return env;
}

/** argv and environment of one worker, as systemd would start `app@port.service`. */
function workerCommand(root: string, app: string, port: number) {
  const unitFile = onRoot(root, `/etc/systemd/system/${app}@.service`);
  if (!existsSync(unitFile)) throw new Error(`no unit ${app}@.service under ${root}/etc/systemd/system`);
  const unit = readUnit(readFileSync(unitFile, 'utf8'), String(port));
  const env: Record<string, string> = {};
  for (const pair of unit.environment) {
    const at = pair.indexOf('=');
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  // systemd: EnvironmentFile= overrides Environment=
  for (const entry of unit.environmentFiles) {
    // A leading `-` makes the file optional, as in systemd.
    const file = onRoot(root, entry.replace(/^-/, ''));
    if (entry.startsWith('-') && !existsSync(file)) continue;
    Object.assign(env, parseEnvFile(readFileSync(file, 'utf8')));
  }
  if (env.DATA_DIR) env.DATA_DIR = onRoot(root, env.DATA_DIR);
  const [program, ...args] = unit.execStart;
  if (!program || !/(^|\/)node$/.test(program)) throw new Error(`${app}@.service: ExecStart does not run node`);
  const script = args.map((arg) => (isAbsolute(arg) ? realpathSync(onRoot(root, arg)) : arg));
  const cwd = unit.workingDirectory ? realpathSync(onRoot(root, unit.workingDirectory)) : resolve(root);
  return { argv: [process.execPath, ...script], env, cwd };
}

// ---- processes ----

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  killGroup(child, signal);
  const deadline = sleep(5_000).then(() => killGroup(child, 'SIGKILL'));
  await Promise.race([exited, deadline]);
  await exited;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, LOOPBACK, done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function portBusy(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((done) => {
    server.once('error', () => done(true));
    server.listen(port, LOOPBACK, () => server.close(() => done(false)));
  });
}

/** GET over a fresh connection; the body as text. */
export function get(
  url: string,
  options: { headers?: Record<string, string>; localAddress?: string; timeoutMs?: number } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((done, fail) => {
    const req = request(
      url,
      {
        headers: options.headers,
        localAddress: options.localAddress,
        agent: false,
        timeout: options.timeoutMs ?? 5_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer in time`)));
    req.on('error', fail);
    req.end();
  });
}

async function waitUntil(what: string, ready: () => Promise<boolean>, gone: () => string | undefined, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const reason = gone();
    if (reason) throw new Error(`${what} ${reason}`);
    if (await ready().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} was not ready within ${ms} ms`);
}

const tail = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-15).join('\n') : '');

// ---- nginx ----

/** The worker processes of an nginx master (Linux /proc), with their titles ("nginx: worker process …"). */
function nginxWorkers(master: number): { pid: number; title: string }[] {
  const workers: { pid: number; title: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === master) {
        workers.push({ pid: Number(entry), title: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ') });
      }
    } catch {
      // the process is gone
    }
  }
  return workers;
}

/** After a reload signal: waits until every worker is a new one and the old ones have left. */
async function waitReloaded(master: number, before: ReadonlySet<number>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const workers = nginxWorkers(master).filter((worker) => worker.title.startsWith('nginx: worker process'));
    if (workers.length > 0 && workers.every((worker) => !before.has(worker.pid))) return;
    await sleep(50);
  }
  throw new Error('nginx did not finish reloading within 10 s');
}

/** cinectl's files with only `listen` and the microcache directory moved; nothing else is touched. */
function placeNginxFiles(root: string, nginxDir: string, listenPort: number, cacheDir: string): string {
  const rootConf = onRoot(root, '/etc/nginx/nginx.conf');
  if (!existsSync(rootConf)) throw new Error(`no /etc/nginx/nginx.conf under ${root}: deploy an app first`);
  const include = /^\s*include\s+(\S+)\/\*\.conf\s*;/m.exec(
    readFileSync(rootConf, 'utf8')
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join('\n'),
  );
  if (!include?.[1]) throw new Error(`${rootConf} has no include line for cinectl's files`);
  const includeDir = include[1];
  const source = onRoot(root, `/etc/nginx/${includeDir}`);
  const target = join(nginxDir, includeDir);
  mkdirSync(target, { recursive: true });
  for (const name of existsSync(source) ? readdirSync(source) : []) {
    const text = readFileSync(join(source, name), 'utf8')
      .replace(/^(\s*)listen 80( |;)/gm, `$1listen ${LOOPBACK}:${listenPort}$2`)
      .replace(/^\s*listen \[::\]:80[ ;].*\n/gm, '')
      .replace(/^(\s*proxy_cache_path )\/\S+/m, `$1${cacheDir}`);
    writeFileSync(join(target, name), text);
  }
  return includeDir;
}

function testNginxConf(dir: string, includeDir: string, options: StackOptions, staticPort: number): string {
  const lines = [
    `worker_processes ${options.nginxWorkers ?? 'auto'};`,
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/logs/nginx-error.log warn;`,
    'worker_rlimit_nofile 16384;',
    'events {',
    `    worker_connections ${options.workerConnections ?? 4096};`,
    '}',
    'http {',
    '    default_type application/octet-stream;',
    '    access_log off;',
    '    keepalive_requests 100000;',
    `    client_body_temp_path ${dir}/tmp/body;`,
    `    proxy_temp_path ${dir}/tmp/proxy;`,
    `    fastcgi_temp_path ${dir}/tmp/fastcgi;`,
    `    uwsgi_temp_path ${dir}/tmp/uwsgi;`,
    `    scgi_temp_path ${dir}/tmp/scgi;`,
    '    server {',
    `        listen ${LOOPBACK}:${staticPort};`,
    `        root ${dir}/static;`,
    '        default_type text/html;',
    '    }',
    '}',
    '',
  ];
  return withCinectlInclude(lines.join('\n'), { includeDir });
}

// ---- the stack ----

export async function startStack(options: StackOptions): Promise<Stack> {
  const root = resolve(options.root);
  const found = discoverApps(root);
  if (found.length === 0) throw new Error(`no apps under ${root}/var/www (no .deploy_config found)`);
  const chosen = options.apps ? found.filter((app) => options.apps?.includes(app.name)) : found;
  const dir = mkdtempSync(join(tmpdir(), 'cinectl-stack-'));
  // nginx's workers drop root privileges: they must be able to reach the cache and temp folders.
  chmodSync(dir, 0o755);
  for (const sub of ['nginx', 'tmp', 'logs', 'static']) mkdirSync(join(dir, sub));

  const workers: Worker[] = [];
  let nginx: ChildProcess | undefined;
  const stop = async () => {
    await Promise.all([
      ...workers.map((worker) => stopChild(worker.process)),
      nginx ? stopChild(nginx, 'SIGQUIT') : undefined,
    ]);
    rmSync(dir, { recursive: true, force: true });
  };

  const startWorker = async (app: string, port: number): Promise<Worker> => {
    const { argv, env, cwd } = workerCommand(root, app, port);
    const log = join(dir, 'logs', `${app}-${port}.log`);
    const out = openSync(log, 'a');
    const child = track(
      spawn(argv[0] ?? process.execPath, argv.slice(1), {
        cwd,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
        stdio: ['ignore', out, out],
        detached: true,
      }),
    );
    closeSync(out);
    const worker = { app, port, process: child, log };
    const health = `http://${LOOPBACK}:${port}/healthz`;
    await waitUntil(
      `worker ${app}@${port}`,
      async () => (await get(health, { timeoutMs: 1_000 })).status === 200,
      () =>
        child.exitCode !== null || child.signalCode !== null
          ? `exited (${child.exitCode ?? child.signalCode}):\n${tail(log)}`
          : undefined,
      20_000,
    );
    return worker;
  };

  try {
    for (const app of chosen) {
      for (const port of app.ports) {
        if (await portBusy(port)) throw new Error(`port ${port} of ${app.name} is already in use on this machine`);
      }
    }
    for (const app of chosen) {
      for (const port of app.ports) workers.push(await startWorker(app.name, port));
    }

    const onRootConf = options.nginxConf === 'root';
    const nginxPort = onRootConf ? 80 : await freePort();
    const staticPort = onRootConf ? 0 : await freePort();
    const nginxDir = join(dir, 'nginx');
    const rootConf = onRootConf ? onRoot(root, '/etc/nginx/nginx.conf') : '';
    const place = () => placeNginxFiles(root, nginxDir, nginxPort, join(dir, 'cache'));
    if (!onRootConf) {
      const includeDir = place();
      const mime = '/etc/nginx/mime.types';
      if (existsSync(mime)) cpSync(mime, join(nginxDir, 'mime.types'));
      writeFileSync(join(nginxDir, 'nginx.conf'), testNginxConf(dir, includeDir, options, staticPort));
    }
    const nginxArgs = onRootConf
      ? ['-c', rootConf, '-e', 'stderr', '-g', 'daemon off;']
      : ['-p', `${nginxDir}/`, '-c', join(nginxDir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'];
    const nginxLog = join(dir, 'logs', 'nginx.out');
    const out = openSync(nginxLog, 'a');
    const started = track(spawn(nginxBinary() ?? 'nginx', nginxArgs, { stdio: ['ignore', out, out], detached: true }));
    closeSync(out);
    nginx = started;
    await waitUntil(
      'nginx',
      async () => (await get(`http://${LOOPBACK}:${nginxPort}/`, { timeoutMs: 1_000 })).status > 0,
      () =>
        started.exitCode !== null || started.signalCode !== null
          ? `exited (${started.exitCode ?? started.signalCode}):\n${tail(nginxLog)}\n${tail(join(dir, 'logs/nginx-error.log'))}`
          : undefined,
      10_000,
    );

    return {
      root,
      dir,
      apps: found,
      nginxPort,
      staticPort,
      staticDir: join(dir, 'static'),
      workers,
      url: (path) => `http://${LOOPBACK}:${nginxPort}${path}`,
      worker: (port) => workers.find((worker) => worker.port === port && worker.process.exitCode === null),
      async kill(port) {
        const worker = workers.find((w) => w.port === port);
        if (worker) await stopChild(worker.process, 'SIGKILL');
      },
      async restart(port) {
        const at = workers.findIndex((w) => w.port === port);
        const old = workers[at];
        if (!old) throw new Error(`no worker on port ${port}`);
        await stopChild(old.process);
        workers[at] = await startWorker(old.app, port);
      },
      async reloadNginx() {
        const master = started.pid;
        if (master === undefined) throw new Error('nginx is not running');
        const before = new Set(nginxWorkers(master).map((worker) => worker.pid));
        if (onRootConf) await $({ quiet: true })`${nginxBinary() ?? 'nginx'} -s reload -c ${rootConf}`;
        else {
          place();
          process.kill(master, 'SIGHUP');
        }
        await waitReloaded(master, before);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
