import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScrapeRun, TokenCounts } from '../domain/model.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { MODELS, resolveModel } from './models.ts';
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
    run('kyiv', '2026-11-24T08:00:00.000Z', t(1000, 200, 400, 100), { queries: 282 }),
    run('lviv', '2026-11-24T23:30:00.000Z', t(10, 20, 30, 40), { queries: 3, status: 'partial' }),
    run('kyiv', '2026-11-25T00:30:00.000Z', t(100, 20, 40, 10), { queries: 21, status: 'failed' }),
  ];

  it('adds up runs, queries and each kind of token per city, most tokens first', () => {
    const { byCity } = summarizeUsage(runs, MODELS.flash);
    expect(byCity.map((usage) => usage.city)).toEqual(['kyiv', 'lviv']);
    expect(byCity[0]).toMatchObject({
      runs: 2,
      unfinished: 1,
      queries: 303,
      tokens: t(1100, 220, 440, 110),
      totalTokens: 1870,
    });
    expect(byCity[1]).toMatchObject({
      runs: 1,
      unfinished: 1,
      queries: 3,
      tokens: t(10, 20, 30, 40),
      totalTokens: 100,
    });
  });

  it('groups by the UTC day a run started on, oldest first', () => {
    const { byDay } = summarizeUsage([...runs].reverse(), MODELS.flash);
    expect(byDay.map((usage) => [usage.day, usage.runs, usage.totalTokens])).toEqual([
      ['2026-11-24', 2, 1800],
      ['2026-11-25', 1, 170],
    ]);
  });

  it('prices every group and the total at the model list price', () => {
    const summary = summarizeUsage(runs, MODELS.pro);
    expect(summary.model).toBe('gemini-2.5-pro');
    // kyiv: input 1,100 + 440 at $1.25/M, output 220 + 110 at $10/M
    expect(summary.byCity[0]?.costUsd).toBeCloseTo((1540 * 1.25 + 330 * 10) / 1e6, 12);
    expect(summary.total.costUsd).toBeCloseTo((1580 * 1.25 + 390 * 10) / 1e6, 12);
    expect(summary.total).toMatchObject({ runs: 3, unfinished: 2, queries: 306, totalTokens: 1970 });
  });

  it('leaves the cost out for a model without a known price', () => {
    const summary = summarizeUsage(runs, resolveModel('gemini-9-preview'));
    expect(summary.total.costUsd).toBeUndefined();
    expect(summary.byDay.every((usage) => usage.costUsd === undefined)).toBe(true);
    expect(usageTable(summary)).toContain('n/a');
  });

  it('is all zeros for no runs', () => {
    const summary = summarizeUsage([], MODELS.flash);
    expect(summary.byCity).toEqual([]);
    expect(summary.byDay).toEqual([]);
    expect(summary.total).toMatchObject({ runs: 0, queries: 0, totalTokens: 0, costUsd: 0 });
  });
});

describe('usageTable', () => {
  it('shows a row per city and per day and the total, figures aligned', () => {
    const lines = usageTable(summarizeUsage([run('kyiv', '2026-11-24T08:00:00.000Z', t(2000, 0, 0, 0))], MODELS.flash))
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(lines.map((line) => line.split(/\s+/)[0])).toEqual(['city', 'kyiv', 'day', '2026-11-24', 'total']);
    expect(lines[1]).toMatch(/^kyiv\s+1\s+0\s+10\s+2,000\s+0\s+0\s+0\s+2,000\s+\$0\.0006$/);
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
    expect(report).toMatchObject({ days: 30, model: 'gemini-2.5-flash' });
    expect(report.byCity.map((usage: { city: string }) => usage.city)).toEqual(['kyiv', 'odesa']);
    expect(report.total).toMatchObject({ runs: 2, queries: 6, totalTokens: 1740 });
  });

  it('takes --days, and prints a table by default', async () => {
    const { code, stdout } = await cli('--days=60');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Gemini usage since \d{4}-\d{2}-\d{2} \(60 UTC days\), priced as gemini-2\.5-flash:/);
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
