// HTTP benchmark: the real site against two floors (bare Express 5, bare node:http) serving the same bytes.
// Run with `pnpm bench`. Env: BENCH_DURATION (seconds, default 10), BENCH_SKIP_BUILD=1 (use the existing dist/),
// BENCH_SITE_ENTRY=<file> (benchmark another server entry, e.g. a candidate build; no build step),
// BENCH_CPU_PROF=<dir> (run the site with `node --cpu-prof`; the profile is written there when it stops).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { availableParallelism, cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import autocannon from 'autocannon';
import { $, type ProcessPromise, sleep, tempdir } from 'zx';
import { freePort } from '../test/support/ports.ts';
import type { FloorRoute } from './floors/manifest.ts';

const HOST = '127.0.0.1';
const CONNECTIONS = 100;
const PIPELINING = 1;
const WARMUP_S = 2;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const TARGET_RATIO = 0.8;
const TARGET_P99_MS = 25;
/** What Chromium sends: the site answers brotli, as it does for most visitors. */
const ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

const webDir = resolve(import.meta.dirname, '..');
const repoDir = resolve(webDir, '../..');
const resultsFile = join(webDir, 'bench-results/http.json');

const URLS = [
  { name: 'city JSON API', path: '/api/cities/kyiv/showtimes' },
  { name: 'city page', path: '/uk/city/kyiv' },
] as const;

type TargetId = 'site' | 'express' | 'nodeHttp';
const TARGETS: { id: TargetId; label: string }[] = [
  { id: 'site', label: 'site' },
  { id: 'express', label: 'express floor' },
  { id: 'nodeHttp', label: 'node:http floor' },
];

// ---- child processes: each runs in its own process group, killed on any exit ----

interface Child {
  name: string;
  process: ProcessPromise;
  pid: number;
}
const children: Child[] = [];
const tmp = tempdir('cinestream-bench-');

function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

process.on('exit', () => {
  for (const child of children) killGroup(child.pid, 'SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the benchmark`);
    process.exit(130);
  });
}

function spawnNode(name: string, args: string[], env: Record<string, string> = {}): Child {
  const proc = $({
    cwd: webDir,
    env: { ...process.env, ...env },
    quiet: true,
    nothrow: true,
    detached: true,
    prefix: 'exec ',
  })`node ${args}`;
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`${name}: could not start`);
  const child = { name, process: proc, pid };
  children.push(child);
  return child;
}

/** SIGTERM, then wait (so a --cpu-prof profile gets written), then SIGKILL. */
async function stop(child: Child): Promise<void> {
  killGroup(child.pid, 'SIGTERM');
  for (let i = 0; i < 100 && killGroup(child.pid, 0); i++) await sleep(50);
  killGroup(child.pid, 'SIGKILL');
}

/** The share of all CPUs' time spent busy over `ms` (the bench's children are idle then). */
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

async function waitFor(child: Child, url: string, timeoutMs = 20_000): Promise<void> {
  let exited = false;
  void child.process.then(() => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const output = child.process.output;
  throw new Error(
    `${child.name} did not answer ${url} ${exited ? 'before it exited' : `within ${timeoutMs} ms`}` +
      (output ? `\n${output.stdall}` : ''),
  );
}

/** A GET whose body is kept as it came over the wire (fetch would decode it). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | undefined>; body: Buffer }> {
  return new Promise((done, fail) => {
    httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const single = Object.fromEntries(
          Object.entries(res.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
        );
        done({ status: res.statusCode ?? 0, headers: single, body: Buffer.concat(chunks) });
      });
    })
      .on('error', fail)
      .end();
  });
}

// ---- load ----

interface Figures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerSec: number;
  /** The target's own CPU time per request (user + system), which other load on the machine barely changes. */
  cpuUsPerRequest: number;
}

/** User + system CPU seconds a process has used (Linux /proc; 0 elsewhere). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

async function load(
  url: string,
  headers: Record<string, string>,
  duration: number,
): Promise<Omit<Figures, 'cpuUsPerRequest'>> {
  const result = await autocannon({ url, connections: CONNECTIONS, pipelining: PIPELINING, duration, headers });
  return {
    reqPerSec: result.requests.mean,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerSec: result.throughput.mean,
  };
}

// ---- output ----

const num = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (value: number) => (Number.isInteger(value) ? num(value) : num(value, 1));
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

// ---- main ----

async function main(): Promise<void> {
  if (!(DURATION_S > 0)) throw new Error(`BENCH_DURATION must be a positive number of seconds (got ${DURATION_S})`);

  let entry = join(webDir, 'dist/server.js');
  let build = 'dist';
  if (process.env.BENCH_SITE_ENTRY) {
    entry = resolve(process.env.BENCH_SITE_ENTRY);
    build = 'BENCH_SITE_ENTRY';
  } else if (process.env.BENCH_SKIP_BUILD !== '1') {
    console.log('building @cinestream/web …');
    const out = await $({ cwd: repoDir, quiet: true, nothrow: true })`pnpm --filter @cinestream/web build`;
    if (!out.ok) {
      console.warn(`build failed, benchmarking src/server.ts instead:\n${out.stdall.trim()}`);
      entry = join(webDir, 'src/server.ts');
      build = 'src (build failed)';
    }
  } else if (!existsSync(entry)) {
    entry = join(webDir, 'src/server.ts');
    build = 'src (no dist)';
  }

  // 1. the site
  const sitePort = await freePort();
  const dataDir = join(tmp, 'data');
  mkdirSync(dataDir);
  const profDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
  const site = spawnNode('site', [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), entry], {
    PORT: String(sitePort),
    HOST,
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  });
  const siteBase = `http://${HOST}:${sitePort}`;
  await waitFor(site, `${siteBase}/healthz`);
  console.log(`site: node ${relative(webDir, entry)} (pid ${site.pid}) on ${siteBase}`);

  // warm it; become a returning visitor
  const first = await fetch(`${siteBase}${URLS[1].path}`);
  await first.arrayBuffer();
  // A returning visitor sends back every cookie the first page set (seen-before flag, last city).
  const cookies = first.headers.getSetCookie().map((cookie) => cookie.split(';')[0] ?? '');
  const visitorCookie = cookies.join('; ');
  if (!first.ok || !cookies.some((cookie) => cookie.startsWith('cs_visitor='))) {
    throw new Error(`${URLS[1].path}: ${first.status}, no cs_visitor cookie`);
  }
  const headers = { cookie: visitorCookie, 'accept-encoding': ACCEPT_ENCODING };
  for (let i = 0; i < 5; i++) {
    for (const { path } of URLS) {
      const res = await fetch(`${siteBase}${path}`, { headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`warm-up ${path}: HTTP ${res.status}`);
    }
  }

  // 2. the exact bytes, and the floors
  const manifest: FloorRoute[] = [];
  const bodies = new Map<string, { bytes: number; wireBytes: number; contentType: string; contentEncoding: string }>();
  for (const [i, { path }] of URLS.entries()) {
    const res = await rawGet(`${siteBase}${path}`, headers);
    const contentType = res.headers['content-type'];
    const contentEncoding = res.headers['content-encoding'];
    if (res.status !== 200 || !contentType) throw new Error(`${path}: HTTP ${res.status}, content-type ${contentType}`);
    if (res.headers['set-cookie']) throw new Error(`${path}: still sets cookies for a returning visitor`);
    const file = join(tmp, `body-${i}`);
    writeFileSync(file, res.body);
    manifest.push({ path, contentType, contentEncoding, file });
    const plain = await fetch(`${siteBase}${path}`, {
      headers: { cookie: visitorCookie, 'accept-encoding': 'identity' },
    });
    const bytes = (await plain.arrayBuffer()).byteLength;
    bodies.set(path, {
      bytes,
      wireBytes: res.body.length,
      contentType,
      contentEncoding: contentEncoding ?? 'identity',
    });
  }
  const manifestFile = join(tmp, 'manifest.json');
  writeFileSync(manifestFile, JSON.stringify(manifest));

  const bases: Record<TargetId, string> = { site: siteBase, express: '', nodeHttp: '' };
  const pids: Record<TargetId, number> = { site: site.pid, express: 0, nodeHttp: 0 };
  for (const [id, script] of [
    ['express', 'bench/floors/express.ts'],
    ['nodeHttp', 'bench/floors/node-http.ts'],
  ] as const) {
    const port = await freePort();
    const floor = spawnNode(`${id} floor`, [script, manifestFile, String(port)]);
    bases[id] = `http://${HOST}:${port}`;
    pids[id] = floor.pid;
    await waitFor(floor, `${bases[id]}${URLS[0].path}`);
  }

  // 3. load, one target at a time
  console.log(
    `load: autocannon, ${CONNECTIONS} connections, pipelining ${PIPELINING}, ${WARMUP_S} s warm-up (discarded) + ${DURATION_S} s; ` +
      `${availableParallelism()} CPUs, node ${process.version}\n`,
  );
  const busyBefore = await cpuBusy(1_000);
  if (busyBefore > 0.15) {
    console.log(`warning: the CPUs were ${pct(busyBefore)} busy before the run; other processes skew the figures\n`);
  }
  const results = [];
  for (const { name, path } of URLS) {
    const figures = {} as Record<TargetId, Figures>;
    for (const { id, label } of TARGETS) {
      process.stdout.write(`  ${name}: ${label} …`);
      await load(`${bases[id]}${path}`, headers, WARMUP_S);
      const cpuBefore = cpuSeconds(pids[id]);
      const loaded = await load(`${bases[id]}${path}`, headers, DURATION_S);
      const cpuUsPerRequest = ((cpuSeconds(pids[id]) - cpuBefore) * 1e6) / Math.max(1, loaded.requests);
      figures[id] = { ...loaded, cpuUsPerRequest };
      process.stdout.write(` ${num(figures[id].reqPerSec)} req/s\n`);
      await sleep(500);
    }
    const ratios = {
      siteToExpress: figures.site.reqPerSec / figures.express.reqPerSec,
      siteToNodeHttp: figures.site.reqPerSec / figures.nodeHttp.reqPerSec,
    };
    const failures = Object.values(figures).reduce((sum, f) => sum + f.non2xx + f.errors, 0);
    const verdict = {
      throughput: ratios.siteToExpress >= TARGET_RATIO,
      p99: figures.site.p99Ms <= TARGET_P99_MS,
      all2xx: failures === 0,
    };
    results.push({ name, path, ...bodies.get(path), figures, ratios, verdict });
  }

  // 4. report
  for (const r of results) {
    console.log(
      `\n${r.name}  GET ${r.path}  (${r.contentType}; ${num(r.wireBytes ?? 0)} bytes on the wire as ${r.contentEncoding}, ` +
        `${num(r.bytes ?? 0)} uncompressed)`,
    );
    const rows = [
      [
        'target',
        'req/s',
        'p50 ms',
        'p99 ms',
        'MB/s',
        'CPU µs/req',
        'errors',
        'non-2xx',
        'site/target',
        'CPU target/site',
      ],
    ];
    for (const { id, label } of TARGETS) {
      const f = r.figures[id];
      const ratio = id === 'site' ? '' : pct(f.reqPerSec ? r.figures.site.reqPerSec / f.reqPerSec : 0);
      const mbPerSec = num(f.bytesPerSec / 1e6, 1);
      const cpu = num(f.cpuUsPerRequest);
      const cpuRatio =
        id === 'site'
          ? ''
          : pct(r.figures.site.cpuUsPerRequest ? f.cpuUsPerRequest / r.figures.site.cpuUsPerRequest : 0);
      rows.push([
        label,
        num(f.reqPerSec),
        ms(f.p50Ms),
        ms(f.p99Ms),
        mbPerSec,
        cpu,
        num(f.errors),
        num(f.non2xx),
        ratio,
        cpuRatio,
      ]);
    }
    console.log(table(rows));
  }

  console.log(
    `\nVerdict (targets: site ≥ ${pct(TARGET_RATIO)} of bare Express req/s; site p99 ≤ ${TARGET_P99_MS} ms at ${CONNECTIONS} connections)`,
  );
  let pass = true;
  for (const r of results) {
    const t = r.verdict.throughput ? good('met') : bad('MISSED');
    const l = r.verdict.p99 ? good('met') : bad('MISSED');
    const e = r.verdict.all2xx ? '' : `; ${bad('non-2xx/errors seen')}`;
    console.log(
      `  ${r.name.padEnd(14)} throughput ${pct(r.ratios.siteToExpress)} of express: ${t}; p99 ${ms(r.figures.site.p99Ms)} ms: ${l}${e}`,
    );
    pass &&= r.verdict.throughput && r.verdict.p99 && r.verdict.all2xx;
  }
  console.log(pass ? good('ALL TARGETS MET') : bad('MISSED: at least one target was not met'));

  mkdirSync(join(webDir, 'bench-results'), { recursive: true });
  writeFileSync(
    resultsFile,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpus: availableParallelism(),
        cpuBusyBefore: busyBefore,
        site: relative(webDir, entry),
        build,
        load: {
          tool: 'autocannon',
          connections: CONNECTIONS,
          pipelining: PIPELINING,
          warmupS: WARMUP_S,
          durationS: DURATION_S,
        },
        targets: { siteToExpressMin: TARGET_RATIO, p99MaxMs: TARGET_P99_MS },
        urls: results,
        pass,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${relative(process.cwd(), resultsFile)}`);

  for (const child of children) await stop(child);
  if (profDir) console.log(`CPU profile of the site in ${profDir}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
