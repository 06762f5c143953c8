// nginx benchmark: the cached city page through cinectl's nginx config to 12 web workers, against the same nginx
// serving the same bytes as a static file, side by side in one run, at 1,000 connections.
// Run with `pnpm bench:nginx`. Env: BENCH_DURATION (seconds per run, default 10), BENCH_ROUNDS (default 3; each
// figure is the median over the rounds), BENCH_CONNECTIONS (default 1000), BENCH_TOOL (auto | wrk | autocannon;
// auto takes wrk when it is installed).
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { probePortFree } from '../src/state/ports.ts';
import { deployApps, get, type Stack, startStack } from '../test/support/local-stack.ts';
import { freeBlocks } from '../test/support/port-blocks.ts';
import { makeRoot, removeRoot } from '../test/support/root.ts';

const PAGE = '/myapp/uk/city/kyiv';
const STATIC_FILE = '/kyiv.html';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1000);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_RATIO = 0.5;
/** A returning visitor: the microcache serves them (first visits go to the app to be counted). */
const HEADERS = { cookie: 'cs_visitor=1' };

const packageDir = resolve(import.meta.dirname, '..');
const resultsFile = join(packageDir, 'bench-results/nginx.json');

interface Figures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

// ---- load generators ----

function installed(tool: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin']) {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return join(dir, tool);
    } catch {
      // not here
    }
  }
  return undefined;
}

async function autocannonLoad(url: string, duration: number): Promise<Figures> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    headers: HEADERS,
    workers: Math.max(1, availableParallelism() - 1),
    timeout: 10,
  });
  return {
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** wrk's `--latency` report: "99%   12.34ms", "Requests/sec: 1234.5", error lines. */
function parseWrk(output: string): Figures {
  const duration = (text: string | undefined) => {
    const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
    if (!match) return Number.NaN;
    const value = Number(match[1]);
    return { us: value / 1000, ms: value, s: value * 1000, m: value * 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    reqPerSec: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? Number.NaN),
    p50Ms: duration(/^\s+50%\s+(\S+)/m.exec(output)?.[1]),
    p99Ms: duration(/^\s+99%\s+(\S+)/m.exec(output)?.[1]),
    requests: Number(/(\d+) requests in/.exec(output)?.[1] ?? Number.NaN),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    errors: socket ? Number(socket[1]) + Number(socket[2]) + Number(socket[3]) : 0,
    timeouts: socket ? Number(socket[4]) : 0,
  };
}

async function wrkLoad(wrk: string, url: string, duration: number): Promise<Figures> {
  const threads = String(Math.max(1, availableParallelism()));
  const args = ['-t', threads, '-c', String(CONNECTIONS), '-d', `${duration}s`, '--latency', '--timeout', '10s'];
  for (const [name, value] of Object.entries(HEADERS)) args.push('-H', `${name}: ${value}`);
  const { stdout } = await promisify(execFile)(wrk, [...args, url], { maxBuffer: 1 << 20 });
  return parseWrk(stdout);
}

/** Several runs of one target: the median rate and latencies over the runs, every run's requests and failures. */
function combine(runs: Figures[]): Figures {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  };
  const sum = (pick: (f: Figures) => number) => runs.reduce((total, f) => total + pick(f), 0);
  return {
    reqPerSec: median(runs.map((f) => f.reqPerSec)),
    p50Ms: median(runs.map((f) => f.p50Ms)),
    p99Ms: median(runs.map((f) => f.p99Ms)),
    requests: sum((f) => f.requests),
    non2xx: sum((f) => f.non2xx),
    errors: sum((f) => f.errors),
    timeouts: sum((f) => f.timeouts),
  };
}

// ---- output ----

const num = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
const bad = (text: string) => (process.stdout.isTTY ? `\x1b[1;31m${text}\x1b[0m` : text);
const good = (text: string) => (process.stdout.isTTY ? `\x1b[1;32m${text}\x1b[0m` : text);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows
    .map((row, r) =>
      row
        .map((cell, i) => (i === 0 || r === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  '),
    )
    .join('\n');
}

/** The share of all CPUs' time spent busy over `ms`. */
async function cpuBusy(ms: number): Promise<number> {
  const sample = () =>
    cpus().reduce(
      (sum, { times }) => {
        sum.idle += times.idle;
        sum.total += times.idle + times.user + times.nice + times.sys + times.irq;
        return sum;
      },
      { idle: 0, total: 0 },
    );
  const before = sample();
  await sleep(ms);
  const after = sample();
  const total = after.total - before.total;
  return total > 0 ? 1 - (after.idle - before.idle) / total : 0;
}

// ---- main ----

async function main(): Promise<void> {
  if (!(DURATION_S > 0)) throw new Error(`BENCH_DURATION must be a positive number of seconds (got ${DURATION_S})`);
  if (!(Number.isInteger(ROUNDS) && ROUNDS > 0))
    throw new Error(`BENCH_ROUNDS must be a whole number ≥ 1 (got ${ROUNDS})`);
  if (!(Number.isInteger(CONNECTIONS) && CONNECTIONS > 0)) {
    throw new Error(`BENCH_CONNECTIONS must be a whole number ≥ 1 (got ${CONNECTIONS})`);
  }
  const wanted = process.env.BENCH_TOOL ?? 'auto';
  const wrk = installed('wrk');
  if (wanted === 'wrk' && !wrk) throw new Error('BENCH_TOOL=wrk, but wrk is not installed: sudo apt-get install wrk');
  const tool = wanted === 'autocannon' || !wrk ? 'autocannon' : 'wrk';
  if (tool === 'autocannon' && wanted === 'auto') {
    console.log(
      'wrk is not installed, using autocannon (a C load generator leaves more CPU to nginx: sudo apt-get install wrk)',
    );
  }
  const load = (url: string, duration: number) =>
    tool === 'wrk' && wrk ? wrkLoad(wrk, url, duration) : autocannonLoad(url, duration);

  const root = makeRoot();
  let stack: Stack | undefined;
  const cleanUp = async () => {
    await stack?.stop();
    removeRoot(root);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the benchmark`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  try {
    // The first block of ports free on this machine: a site already serving on 8001 is passed over.
    const ports = await freeBlocks(1, probePortFree);
    console.log(`cinectl --root <scratch root> deploy-app myapp --ports ${ports[0]} …`);
    await deployApps(root, ['myapp'], ports);
    stack = await startStack({ root, apps: ['myapp'] });
    console.log(`nginx on ${stack.url('/')} in front of ${stack.workers.length} workers (${stack.dir})`);

    // Warm the cache and take the page's exact bytes for the static copy.
    let page = await get(stack.url(PAGE), { headers: HEADERS });
    for (let i = 0; i < 3 || page.headers['x-cache'] !== 'HIT'; i++) {
      if (i > 20) throw new Error(`${PAGE} is not served from the microcache (X-Cache: ${page.headers['x-cache']})`);
      page = await get(stack.url(PAGE), { headers: HEADERS });
    }
    if (page.status !== 200) throw new Error(`${PAGE}: HTTP ${page.status}`);
    const bytes = Buffer.from(page.body, 'utf8');
    writeFileSync(join(stack.staticDir, STATIC_FILE), bytes);
    const staticUrl = `http://127.0.0.1:${stack.staticPort}${STATIC_FILE}`;
    const copy = await get(staticUrl);
    if (copy.body !== page.body) throw new Error('the static copy differs from the page');

    const targets = [
      { id: 'nginx-cache', label: 'through nginx (microcache → 12 workers)', url: stack.url(PAGE) },
      { id: 'static', label: 'nginx static file, same bytes', url: staticUrl },
    ] as const;
    console.log(
      `load: ${tool}, ${num(CONNECTIONS)} connections, ${ROUNDS} rounds of ${WARMUP_S} s warm-up (discarded) + ${DURATION_S} s per target; ` +
        `${availableParallelism()} CPUs, page ${num(bytes.length)} bytes\n`,
    );
    const busyBefore = await cpuBusy(1_000);
    if (busyBefore > 0.15) {
      console.log(`warning: the CPUs were ${pct(busyBefore)} busy before the run; other processes skew the figures\n`);
    }
    // Rounds alternate the targets, so a neighbour's burst on a shared machine hits both alike.
    const runs: Record<(typeof targets)[number]['id'], Figures[]> = { 'nginx-cache': [], static: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of targets) {
        process.stdout.write(`  round ${round}/${ROUNDS}: ${target.label} …`);
        await load(target.url, WARMUP_S);
        await sleep(500);
        const figures = await load(target.url, DURATION_S);
        runs[target.id].push(figures);
        process.stdout.write(` ${num(figures.reqPerSec)} req/s, p99 ${num(figures.p99Ms, 1)} ms\n`);
        await sleep(1_000);
      }
    }
    const figures = { 'nginx-cache': combine(runs['nginx-cache']), static: combine(runs.static) };

    const ratio = figures['nginx-cache'].reqPerSec / figures.static.reqPerSec;
    const failures = Object.values(figures).reduce((sum, f) => sum + f.non2xx + f.errors + f.timeouts, 0);
    const rows = [['target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'timeouts', 'non-2xx']];
    for (const target of targets) {
      const f = figures[target.id];
      rows.push([
        target.label,
        num(f.reqPerSec),
        num(f.p50Ms, 1),
        num(f.p99Ms, 1),
        num(f.requests),
        num(f.errors),
        num(f.timeouts),
        num(f.non2xx),
      ]);
    }
    console.log(
      `\nGET ${PAGE} (${num(bytes.length)} bytes) at ${num(CONNECTIONS)} connections, median of ${ROUNDS} runs\n${table(rows)}`,
    );
    const pass = ratio >= TARGET_RATIO && failures === 0;
    console.log(
      `\nthrough nginx: ${pct(ratio)} of the static figure (target ≥ ${pct(TARGET_RATIO)}): ` +
        `${ratio >= TARGET_RATIO ? good('met') : bad('MISSED')}; errors: ${failures === 0 ? good('0') : bad(num(failures))}`,
    );

    mkdirSync(join(packageDir, 'bench-results'), { recursive: true });
    writeFileSync(
      resultsFile,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          node: process.version,
          cpus: availableParallelism(),
          cpuBusyBefore: busyBefore,
          load: {
            tool,
            connections: CONNECTIONS,
            rounds: ROUNDS,
            warmupS: WARMUP_S,
            durationS: DURATION_S,
            headers: HEADERS,
          },
          page: { path: PAGE, bytes: bytes.length },
          workers: stack.workers.length,
          figures,
          runs,
          ratio,
          targets: { ratioMin: TARGET_RATIO, errors: 0 },
          pass,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`wrote ${relative(process.cwd(), resultsFile)}`);
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
