import type { Day, ScrapeRun } from '../domain/model.ts';
import { totalTokens } from './budget.ts';
import { addCallUsage, type CallUsage, costUsd, type ModelInfo, modelInfo, noUsage } from './models.ts';

/** What a group of scrape runs spent. */
export interface UsageTotals extends CallUsage {
  runs: number;
  /** Runs that ended `partial` or `failed`, or never ended (`running`: still going, or their process died). */
  unfinished: number;
  /** HTTP calls to Gemini. */
  queries: number;
  totalTokens: number;
  /** Tokens plus searches at list price; absent when a run's model has no known price. */
  costUsd?: number;
}

export interface CityUsage extends UsageTotals {
  city: string;
}

export interface DayUsage extends UsageTotals {
  /** The UTC day the runs started on, the days the daily budgets count in. */
  day: Day;
}

export interface UsageSummary {
  /** The model runs that did not record theirs are priced as. */
  model: string;
  /** Most expensive first (most tokens when unpriced). */
  byCity: CityUsage[];
  /** Oldest first; only days with runs. */
  byDay: DayUsage[];
  total: UsageTotals;
}

interface Tally {
  runs: number;
  unfinished: number;
  queries: number;
  usage: CallUsage;
  /** Undefined once a run could not be priced. */
  cost: number | undefined;
}

const emptyTally = (): Tally => ({ runs: 0, unfinished: 0, queries: 0, usage: noUsage(), cost: 0 });

function usageOfRun(run: ScrapeRun): CallUsage {
  return {
    tokens: { cached: 0, ...run.tokens },
    searchQueries: run.searchQueries ?? 0,
    groundedPrompts: run.groundedPrompts ?? 0,
    urlRetrievals: run.urlRetrievals ?? 0,
    urlFailures: run.urlFailures ?? 0,
  };
}

/** A run's cost as recorded, or priced now as its own model, or as `fallback` for runs that did not say. */
function runCost(run: ScrapeRun, fallback: ModelInfo): number | undefined {
  if (run.costUsd !== undefined) return run.costUsd;
  return costUsd(run.model ? modelInfo(run.model) : fallback, usageOfRun(run));
}

function add(tally: Tally, run: ScrapeRun, fallback: ModelInfo): void {
  tally.runs += 1;
  if (run.status !== 'ok') tally.unfinished += 1;
  tally.queries += run.queries;
  addCallUsage(tally.usage, usageOfRun(run));
  const cost = runCost(run, fallback);
  tally.cost = tally.cost === undefined || cost === undefined ? undefined : tally.cost + cost;
}

function totalsOf(tally: Tally): UsageTotals {
  return {
    runs: tally.runs,
    unfinished: tally.unfinished,
    queries: tally.queries,
    ...tally.usage,
    totalTokens: totalTokens(tally.usage.tokens),
    ...(tally.cost !== undefined ? { costUsd: tally.cost } : {}),
  };
}

function tallyBy(runs: readonly ScrapeRun[], keyOf: (run: ScrapeRun) => string, fallback: ModelInfo) {
  const tallies = new Map<string, Tally>();
  for (const run of runs) {
    const key = keyOf(run);
    const tally = tallies.get(key) ?? emptyTally();
    add(tally, run, fallback);
    tallies.set(key, tally);
  }
  return tallies;
}

/** Gemini calls, searches, tokens and their cost per city and per UTC day; runs without a model priced as `model`. */
export function summarizeUsage(runs: readonly ScrapeRun[], model: ModelInfo): UsageSummary {
  const total = emptyTally();
  for (const run of runs) add(total, run, model);
  const byCity = [...tallyBy(runs, (run) => run.city, model)]
    .map(([city, tally]) => ({ city, ...totalsOf(tally) }))
    .sort(
      (a, b) => (b.costUsd ?? 0) - (a.costUsd ?? 0) || b.totalTokens - a.totalTokens || a.city.localeCompare(b.city),
    );
  const byDay = [...tallyBy(runs, (run) => new Date(run.startedAt).toISOString().slice(0, 10), model)]
    .map(([day, tally]) => ({ day, ...totalsOf(tally) }))
    .sort((a, b) => a.day.localeCompare(b.day));
  return { model: model.id, byCity, byDay, total: totalsOf(total) };
}

const COLUMNS = [
  'runs',
  'unfinished',
  'calls',
  'searches',
  'pages read',
  'unread',
  'prompt',
  'cached',
  'output',
  'tool',
  'thoughts',
  'total',
  'cost USD',
];

const count = (value: number) => value.toLocaleString('en-US');
const dollars = (value: number | undefined) => (value === undefined ? 'n/a' : `$${value.toFixed(4)}`);

function cells(label: string, totals: UsageTotals): string[] {
  const { prompt, cached = 0, output, tool, thoughts } = totals.tokens;
  return [
    label,
    ...[
      totals.runs,
      totals.unfinished,
      totals.queries,
      totals.searchQueries,
      totals.urlRetrievals,
      totals.urlFailures,
      prompt,
      cached,
      output,
      tool,
      thoughts,
      totals.totalTokens,
    ].map(count),
    dollars(totals.costUsd),
  ];
}

/** Columns padded to their widest cell, text left and figures right; an empty row is a blank line. */
function aligned(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  return rows
    .map((row) =>
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

/** The summary as a plain-text table: a section per city, one per UTC day, and the total. */
export function usageTable(summary: UsageSummary): string {
  return aligned([
    ['city', ...COLUMNS],
    ...summary.byCity.map((usage) => cells(usage.city, usage)),
    [],
    ['day (UTC)', ...COLUMNS],
    ...summary.byDay.map((usage) => cells(usage.day, usage)),
    [],
    cells('total', summary.total),
  ]);
}
