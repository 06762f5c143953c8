// Scraping benchmark: the real Gemini pipeline, sqlite store and Showtimes against the fake Gemini server with a
// made-up city (10 cinemas, 20 films, publishing weekly on Monday 18:00), per step-3 granularity — the seed's
// `movie-day` (a grounded search per film per day) beside the others. Measures a full 14-day scrape started by a
// request, then four simulated weeks of one visit a day on a virtual clock; last, the cinemas' own pages read by
// the site (scrape-pages.ts): a full city, a next-day refresh with no page changed, and one with one changed.
// Run with `pnpm bench:scrape [--latency-ms N] [--concurrency N] [--granularity G]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { GRANULARITIES, type Granularity } from '../src/domain/planner.ts';
import { resolveOffline } from '../src/scrape/models.ts';
import { fakeCity } from '../test/support/fake-city.ts';
import { startFakeGemini } from '../test/support/fake-gemini.ts';
import { benchPages, type PagesFigures, type PagesResult } from './scrape-pages.ts';
import { benchGranularity, type GranularityResult, type ScrapeFigures } from './scrape-run.ts';

const THEATERS = 10;
const MOVIES = 20;
/** The seed's strategy, the one the others are measured against. */
const SEED: Granularity = 'movie-day';
/** Tool-use tokens a read schedule page costs (its text, as URL context bills it as input): an assumption. */
const PAGE_TOKENS = 2_000;
const TARGETS = { firstMovieMs: 10_000, fullUsdShare: 0.2, monthUsdShare: 0.1, longestEmptyMs: 24 * 3_600_000 };
/** Reading the cinemas' own pages (SCHEDULE_PAGES): a full city's share of the seed's USD, and calls per refresh. */
const PAGE_TARGETS = { fullUsdShare: 0.05, unchangedCalls: 0, oneChangedCalls: 1 };

const webDir = resolve(import.meta.dirname, '..');
const resultsFile = join(webDir, 'bench-results/scrape.json');

const HELP = `Usage: pnpm bench:scrape [--latency-ms N] [--concurrency N] [--granularity ${GRANULARITIES.join('|')}]
  --latency-ms N    the fake Gemini's delay per call (default 1500)
  --concurrency N   step-3 queries in flight (default: GEMINI_CONCURRENCY's default)
  --granularity G   only this granularity (default: all of them)`;

class UsageError extends Error {}

interface Options {
  latencyMs: number;
  concurrency?: number;
  granularities: Granularity[];
}

function whole(flag: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, got ${value ?? 'nothing'}.`);
  }
  return Number(value);
}

function parseOptions(args: readonly string[]): Options | null {
  const options: Options = { latencyMs: 1500, granularities: [...GRANULARITIES] };
  const only: Granularity[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag = '', inline] = (args[i] as string).split(/=(.*)/s, 2);
    const value = () => inline ?? args[++i];
    if (flag === '--') continue;
    if (flag === '--help' || flag === '-h') return null;
    if (flag === '--latency-ms') options.latencyMs = whole(flag, value(), 0, 60_000);
    else if (flag === '--concurrency') options.concurrency = whole(flag, value(), 1, 64);
    else if (flag === '--granularity') {
      const given = value();
      const granularity = GRANULARITIES.find((name) => name === given);
      if (!granularity)
        throw new UsageError(`--granularity is ${GRANULARITIES.join(' or ')}, got ${given ?? 'nothing'}.`);
      only.push(granularity);
    } else throw new UsageError(`unknown option ${flag}; see --help.`);
  }
  if (only.length > 0) options.granularities = only;
  return options;
}

// ---- output ----

const count = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);
const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const usd = (value: number | undefined) => (value === undefined ? 'n/a' : `$${value.toFixed(4)}`);
const paint = (code: string, text: string) => (process.stdout.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);
const verdict = (met: boolean) => (met ? paint('1;32', 'met') : paint('1;31', 'MISSED'));

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  return rows
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))))
    .map((row) => row.join('   ').trimEnd())
    .join('\n');
}

function tokenRows(results: GranularityResult[], pick: (result: GranularityResult) => ScrapeFigures): string[][] {
  const row = (label: string, cell: (figures: ScrapeFigures) => string, target = '') => [
    label,
    ...results.map((result) => cell(pick(result))),
    target,
  ];
  return [
    row('  queries (fake server / scrape_runs)', (f) => `${count(f.queries)} / ${count(f.recordedQueries)}`),
    row('  prompt tokens', (f) => count(f.tokens.prompt)),
    row('  output tokens', (f) => count(f.tokens.output)),
    row('  tool-use tokens', (f) => count(f.tokens.tool)),
    row('  thought tokens', (f) => count(f.tokens.thoughts)),
    row('  total tokens', (f) => count(f.totalTokens)),
    row('  search queries', (f) => count(f.searchQueries)),
    row(`  cost at ${resolveOffline('flash').id} list price, searches included`, (f) => usd(f.costUsd)),
  ];
}

const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;

function report(results: GranularityResult[]): string {
  const seed = results.find((result) => result.granularity === SEED);
  const share = (value: number | undefined, of: number | undefined) =>
    value === undefined || !of ? undefined : value / of;
  const shareText = (value: number | undefined) => (value === undefined ? 'n/a' : pct(value));
  const fullShare = (r: GranularityResult) => share(r.full.costUsd, seed?.full.costUsd);
  const monthShare = (r: GranularityResult) => share(r.month.costUsd, seed?.month.costUsd);
  const met = (result: GranularityResult) => ({
    fullUsd: (fullShare(result) ?? 1) <= TARGETS.fullUsdShare,
    firstMovie: result.full.firstMovieMs !== null && result.full.firstMovieMs <= TARGETS.firstMovieMs,
    monthUsd: (monthShare(result) ?? 1) <= TARGETS.monthUsdShare,
    empty: result.month.longestEmptyMs <= TARGETS.longestEmptyMs,
  });
  const cells = (cell: (result: GranularityResult) => string) => results.map(cell);
  const blank = ['', ...cells(() => ''), ''];
  const rows = [
    ['granularity', ...cells((r) => (r.granularity === SEED ? `${r.granularity} (seed)` : r.granularity)), 'target'],
    ['full 14-day scrape, started by a request', ...cells(() => ''), ''],
    ...tokenRows(results, (r) => r.full),
    ['  USD, share of the seed strategy', ...cells((r) => shareText(fullShare(r))), `≤ ${pct(TARGETS.fullUsdShare)}`],
    ['  first movie visible', ...cells((r) => seconds(r.full.firstMovieMs)), `≤ ${seconds(TARGETS.firstMovieMs)}`],
    ['  first day complete', ...cells((r) => seconds(r.full.firstDayMs)), ''],
    ['  wall time (request → done)', ...cells((r) => seconds(r.full.wallMs)), ''],
    ['  outcome', ...cells((r) => `${r.full.status}, ${r.full.coveredDays}/14 days`), ''],
    [
      '  showtimes stored / answered',
      ...cells((r) => `${count(r.full.showtimesStored)} / ${count(r.full.showtimesAnswered)}`),
      '',
    ],
    blank,
    ['four weeks, one visit a day (virtual clock)', ...cells(() => ''), ''],
    ['  calls', ...cells((r) => count(r.month.calls)), ''],
    ['  search queries', ...cells((r) => count(r.month.searchQueries)), ''],
    ['  total tokens', ...cells((r) => count(r.month.totalTokens)), ''],
    ['  USD per month', ...cells((r) => usd(r.month.costUsd)), ''],
    ['  USD, share of the seed strategy', ...cells((r) => shareText(monthShare(r))), `≤ ${pct(TARGETS.monthUsdShare)}`],
    [
      '  longest a published day stayed empty',
      ...cells((r) => hours(r.month.longestEmptyMs)),
      `≤ ${hours(TARGETS.longestEmptyMs)}`,
    ],
    ["  oldest today's showtimes got", ...cells((r) => hours(r.month.oldestTodayMs)), ''],
    blank,
    ['verdict', ...cells(() => ''), ''],
    ['  full city USD', ...cells((r) => verdict(met(r).fullUsd)), ''],
    ['  first movie visible', ...cells((r) => verdict(met(r).firstMovie)), ''],
    ['  four weeks USD', ...cells((r) => verdict(met(r).monthUsd)), ''],
    ['  no published day empty > 24 h', ...cells((r) => verdict(met(r).empty)), ''],
  ];
  return table(rows);
}

function pagesReport(pages: PagesResult, seed: GranularityResult | undefined): string {
  const columns: [string, PagesFigures][] = [
    ['full city', pages.full],
    ['next day, no page changed', pages.unchanged],
    ['a day on, one page changed', pages.oneChanged],
  ];
  const row = (label: string, cell: (figures: PagesFigures) => string, target = '') => [
    label,
    ...columns.map(([, figures]) => cell(figures)),
    target,
  ];
  const seedUsd = seed?.full.costUsd;
  const share = pages.full.costUsd !== undefined && seedUsd ? pages.full.costUsd / seedUsd : undefined;
  const paths = (figures: PagesFigures) =>
    Object.entries(figures.paths)
      .map(([path, n]) => `${path} ${n}`)
      .join(', ');
  return table([
    [
      `schedule pages read by the site (${THEATERS} server-rendered pages)`,
      ...columns.map(([label]) => label),
      'target',
    ],
    row('  model calls', (f) => count(f.queries)),
    row('  search queries', (f) => count(f.searchQueries)),
    row('  total tokens', (f) => count(f.totalTokens)),
    row(`  cost at list price (page text by ${resolveOffline('flash-lite').id})`, (f) => usd(f.costUsd)),
    row('  wall time (request → done)', (f) => seconds(f.wallMs)),
    row('  pages by path', paths),
    [
      '  full city USD, share of the seed strategy',
      share === undefined ? 'n/a (run movie-day too)' : pct(share),
      '',
      '',
      `≤ ${pct(PAGE_TARGETS.fullUsdShare)}`,
    ],
    ['verdict', '', '', '', ''],
    ['  full city USD', share === undefined ? 'n/a' : verdict(share <= PAGE_TARGETS.fullUsdShare), '', '', ''],
    ['  no page changed: 0 calls', '', verdict(pages.unchanged.queries === PAGE_TARGETS.unchangedCalls), '', ''],
    ['  one page changed: 1 call', '', '', verdict(pages.oneChanged.queries === PAGE_TARGETS.oneChangedCalls), ''],
  ]);
}

// ---- main ----

async function main(args: readonly string[]): Promise<void> {
  const options = parseOptions(args);
  if (!options) {
    console.log(HELP);
    return;
  }
  let cityClock = () => new Date();
  const city = fakeCity({ theaters: THEATERS, movies: MOVIES, clock: () => cityClock() });
  const fake = await startFakeGemini({ answer: city.answer, latencyMs: options.latencyMs, pageTokens: PAGE_TOKENS });
  const setCityClock = (clock: () => Date) => {
    cityClock = clock;
  };
  const results: GranularityResult[] = [];
  let pages: PagesResult | undefined;
  try {
    for (const granularity of options.granularities) {
      process.stdout.write(`${granularity}: scraping …`);
      fake.setLatency(options.latencyMs);
      const started = performance.now();
      const result = await benchGranularity({
        fake,
        city,
        granularity,
        concurrency: options.concurrency,
        setCityClock,
      });
      results.push(result);
      process.stdout.write(
        ` ${seconds(result.full.wallMs)}; four weeks in ${seconds(performance.now() - started - result.full.wallMs)}\n`,
      );
    }
    process.stdout.write('schedule pages: scraping …');
    const started = performance.now();
    pages = await benchPages({ theaters: THEATERS, movies: MOVIES, latencyMs: options.latencyMs });
    process.stdout.write(` ${seconds(performance.now() - started)} for the three visits\n`);
  } finally {
    await fake.close();
  }

  const concurrency = [...new Set(results.map((result) => result.concurrency))].join('/');
  console.log(
    `\nfake Gemini: ${count(options.latencyMs)} ms a call, ${count(PAGE_TOKENS)} tokens a page read; a city of ${THEATERS} cinemas and ${MOVIES} films; ` +
      `concurrency ${concurrency}; ${availableParallelism()} CPUs, node ${process.version}\n`,
  );
  console.log(report(results));
  if (pages)
    console.log(
      `\n${pagesReport(
        pages,
        results.find((result) => result.granularity === SEED),
      )}`,
    );

  mkdirSync(join(webDir, 'bench-results'), { recursive: true });
  const setup = {
    latencyMs: options.latencyMs,
    pageTokens: PAGE_TOKENS,
    theaters: THEATERS,
    movies: MOVIES,
    model: resolveOffline('flash').id,
  };
  const run = { date: new Date().toISOString(), node: process.version, cpus: availableParallelism() };
  writeFileSync(
    resultsFile,
    `${JSON.stringify({ ...run, setup, targets: { ...TARGETS, pages: PAGE_TARGETS }, results, pages }, null, 2)}\n`,
  );
  console.log(`\nwrote ${relative(process.cwd(), resultsFile)}`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    const usage = error instanceof UsageError;
    console.error(`bench:scrape: ${error instanceof Error ? (usage ? error.message : error.stack) : String(error)}`);
    process.exit(usage ? 2 : 1);
  },
);
