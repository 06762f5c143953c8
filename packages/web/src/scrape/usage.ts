import type { Day, ScrapeRun, TokenCounts } from '../domain/model.ts';
import { totalTokens } from './budget.ts';
import { costUsd, type ModelInfo } from './models.ts';

/** What a group of scrape runs spent. */
export interface UsageTotals {
  runs: number;
  /** Runs that ended `partial` or `failed`. */
  unfinished: number;
  queries: number;
  tokens: TokenCounts;
  totalTokens: number;
  /** At the model's list price; absent when its price is unknown. */
  costUsd?: number;
}

export interface CityUsage extends UsageTotals {
  city: string;
}

export interface DayUsage extends UsageTotals {
  /** The UTC day the runs started on, the days the daily token budget counts in. */
  day: Day;
}

export interface UsageSummary {
  /** The model the costs are priced as. */
  model: string;
  /** Most tokens first. */
  byCity: CityUsage[];
  /** Oldest first; only days with runs. */
  byDay: DayUsage[];
  total: UsageTotals;
}

interface Tally {
  runs: number;
  unfinished: number;
  queries: number;
  tokens: TokenCounts;
}

const emptyTally = (): Tally => ({
  runs: 0,
  unfinished: 0,
  queries: 0,
  tokens: { prompt: 0, output: 0, tool: 0, thoughts: 0 },
});

function add(tally: Tally, run: ScrapeRun): void {
  tally.runs += 1;
  if (run.status !== 'ok') tally.unfinished += 1;
  tally.queries += run.queries;
  tally.tokens.prompt += run.tokens.prompt;
  tally.tokens.output += run.tokens.output;
  tally.tokens.tool += run.tokens.tool;
  tally.tokens.thoughts += run.tokens.thoughts;
}

function totalsOf(tally: Tally, model: ModelInfo): UsageTotals {
  const cost = costUsd(model, tally.tokens);
  return { ...tally, totalTokens: totalTokens(tally.tokens), ...(cost !== undefined ? { costUsd: cost } : {}) };
}

function tallyBy(runs: readonly ScrapeRun[], keyOf: (run: ScrapeRun) => string): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const run of runs) {
    const key = keyOf(run);
    const tally = tallies.get(key) ?? emptyTally();
    add(tally, run);
    tallies.set(key, tally);
  }
  return tallies;
}

/** Gemini tokens and their cost per city and per UTC day, priced as `model`. */
export function summarizeUsage(runs: readonly ScrapeRun[], model: ModelInfo): UsageSummary {
  const total = emptyTally();
  for (const run of runs) add(total, run);
  const byCity = [...tallyBy(runs, (run) => run.city)]
    .map(([city, tally]) => ({ city, ...totalsOf(tally, model) }))
    .sort((a, b) => b.totalTokens - a.totalTokens || a.city.localeCompare(b.city));
  const byDay = [...tallyBy(runs, (run) => new Date(run.startedAt).toISOString().slice(0, 10))]
    .map(([day, tally]) => ({ day, ...totalsOf(tally, model) }))
    .sort((a, b) => a.day.localeCompare(b.day));
  return { model: model.id, byCity, byDay, total: totalsOf(total, model) };
}

const COLUMNS = ['runs', 'unfinished', 'queries', 'prompt', 'output', 'tool', 'thoughts', 'total', 'cost USD'];

const count = (value: number) => value.toLocaleString('en-US');
const dollars = (value: number | undefined) => (value === undefined ? 'n/a' : `$${value.toFixed(4)}`);

function cells(label: string, totals: UsageTotals): string[] {
  const { prompt, output, tool, thoughts } = totals.tokens;
  return [
    label,
    ...[totals.runs, totals.unfinished, totals.queries, prompt, output, tool, thoughts, totals.totalTokens].map(count),
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
