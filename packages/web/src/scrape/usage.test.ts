import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScrapeRun, TokenCounts } from '../domain/model.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { modelInfo, resolveOffline } from './models.ts';
import { summarizeUsage, usageTable } from './usage.ts';

let serial = 0;

function run(city: string, startedAt: string, tokens: TokenCounts, extra: Partial<ScrapeRun> = {}): ScrapeRun {
  serial += 1;
  return {
    id: `run-${serial}`,
    city,
    startedAt,
    finishedAt: startedAt,
    requestedDays: ['2026-11-24'],
    queries: 10,
    tokens,
    dropped: 0,
    errors: [],
    durationMs: 1000,
    status: 'ok',
    ...extra,
  };
}

const t = (prompt: number, output: number, tool: number, thoughts: number): TokenCounts => ({
  prompt,
  output,
  tool,
  thoughts,
});

describe('summarizeUsage', () => {
  const runs = [
    run('kyiv', '2026-11-24T08:00:00.000Z', t(1000, 200, 400, 100), {
      queries: 282,
      model: 'gemini-3.8-flash',
      searchQueries: 50,
      groundedPrompts: 20,
      urlRetrievals: 12,
      urlFailures: 2,
    }),
    run('lviv', '2026-11-24T23:30:00.000Z', t(10, 20, 30, 40), { queries: 3, status: 'partial', costUsd: 0.5 }),
    run('kyiv', '2026-11-25T00:30:00.000Z', t(100, 20, 40, 10), { queries: 21, status: 'running', searchQueries: 5 }),
  ];
  const asFlash = resolveOffline('flash');

  it('adds up runs, calls, searches, pages and each kind of token per city, most expensive first', () => {
    const { byCity } = summarizeUsage(runs, asFlash);
    expect(byCity.map((usage) => usage.city)).toEqual(['kyiv', 'lviv']);
    expect(byCity[0]).toMatchObject({
      runs: 2,
      unfinished: 1,
      queries: 303,
      searchQueries: 55,
      groundedPrompts: 20,
      urlRetrievals: 12,
      urlFailures: 2,
      tokens: t(1100, 220, 440, 110),
      totalTokens: 1870,
    });
    expect(byCity[1]).toMatchObject({ runs: 1, unfinished: 1, queries: 3, totalTokens: 100, costUsd: 0.5 });
  });

  it('groups by the UTC day a run started on, oldest first', () => {
    const { byDay } = summarizeUsage([...runs].reverse(), asFlash);
    expect(byDay.map((usage) => [usage.day, usage.runs, usage.totalTokens, usage.searchQueries])).toEqual([
      ['2026-11-24', 2, 1800, 50],
      ['2026-11-25', 1, 170, 5],
    ]);
  });

  it('prices each run as its recorded cost, else its own model, else the given one; searches included', () => {
    const summary = summarizeUsage(runs, modelInfo('gemini-2.5-pro'));
    expect(summary.model).toBe('gemini-2.5-pro');
    // kyiv run 1 as gemini-3.8-flash: input 1,400 × $0.75/M, output 300 × $3.75/M, 50 queries × $0.014.
    const first = (1400 * 0.75 + 300 * 3.75) / 1e6 + 50 * 0.014;
    // kyiv run 2 without a model, as 2.5 Pro: input 140 × $1.25/M, output 30 × $10/M; no grounded prompts counted.
    const second = (140 * 1.25 + 30 * 10) / 1e6;
    expect(summary.byCity[0]?.costUsd).toBeCloseTo(first + second, 12);
    expect(summary.total.costUsd).toBeCloseTo(first + second + 0.5, 12);
    expect(summary.total).toMatchObject({ runs: 3, unfinished: 2, queries: 306, totalTokens: 1970 });
  });

  it('leaves the cost out when a run cannot be priced', () => {
    const summary = summarizeUsage([runs[2] as ScrapeRun], modelInfo('gemini-9-preview'));
    expect(summary.total.costUsd).toBeUndefined();
    expect(summary.byDay.every((usage) => usage.costUsd === undefined)).toBe(true);
    expect(usageTable(summary)).toContain('n/a');
  });

  it('is all zeros for no runs', () => {
    const summary = summarizeUsage([], asFlash);
    expect(summary.byCity).toEqual([]);
    expect(summary.byDay).toEqual([]);
    expect(summary.total).toMatchObject({ runs: 0, queries: 0, searchQueries: 0, totalTokens: 0, costUsd: 0 });
  });
});

describe('usageTable', () => {
  it('shows a row per city and per day and the total, figures aligned', () => {
    const one = run('kyiv', '2026-11-24T08:00:00.000Z', t(2000, 0, 0, 0), { searchQueries: 3, urlRetrievals: 4 });
    const lines = usageTable(summarizeUsage([one], resolveOffline('flash')))
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(['city', 'kyiv', 'day', '2026-11-24', 'total']);
    // 2,000 × $0.75/M + 3 × $0.014 = $0.0435
    expect(lines[1]).toMatch(/^kyiv\s+1\s+0\s+10\s+3\s+4\s+0\s+2,000\s+0\s+0\s+0\s+0\s+2,000\s+\$0\.0435$/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });
});

describe('the usage script', () => {
  const script = resolve(import.meta.dirname, '../scripts/usage.ts');
  const dir = mkdtempSync(join(tmpdir(), 'cinestream-usage-'));
  const env = { ...process.env, DATA_DIR: dir, MONGO_URI: '', GEMINI_MODEL: 'flash', NODE_ENV: 'test' };
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [script, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

  beforeAll(async () => {
    const store = openSqliteStore(join(dir, 'cinestream.db'));
    await store.recordScrapeRun(run('kyiv', hoursAgo(1), t(1000, 100, 400, 200), { queries: 5 }));
    await store.recordScrapeRun(run('odesa', hoursAgo(30), t(10, 10, 10, 10), { queries: 1 }));
    await store.recordScrapeRun(run('kyiv', hoursAgo(24 * 45), t(7, 7, 7, 7), { queries: 2 }));
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the runs of the last 30 days from the configured store as JSON', async () => {
    const { code, stdout } = await cli('--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ days: 30, model: 'gemini-3.8-flash' });
    expect(report.byCity.map((usage: { city: string }) => usage.city)).toEqual(['kyiv', 'odesa']);
    expect(report.total).toMatchObject({ runs: 2, queries: 6, totalTokens: 1740 });
  });

  it('takes --days, and prints a table by default', async () => {
    const { code, stdout } = await cli('--days=60');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Gemini usage since \d{4}-\d{2}-\d{2} \(60 UTC days\), at list price \(runs that did not record their model as gemini-3\.8-flash\); Google's free allowance \(5,000 search queries a month, shared by all Gemini 3 models\) is not subtracted:/,
    );
    expect(stdout).toMatch(/^total\s+3\s+0\s+8\s/m);
  });

  it('refuses a bad option in one sentence with a hint', async () => {
    for (const [args, said] of [
      [['--days', 'soon'], '--days must be a whole number from 1 to 3650, got "soon"; e.g. --days 7.'],
      [['--days'], '--days needs a number of days, e.g. --days 7.'],
      [['--csv'], 'unknown option "--csv"; the options are --days N and --json (see --help).'],
    ] as const) {
      const { code, stdout, stderr } = await cli(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`usage report: ${said}\n`);
    }
  });
});
