import { describe, expect, it } from 'vitest';
import {
  type CallUsage,
  checkModelName,
  costUsd,
  modelInfo,
  newestOfFamily,
  noUsage,
  resolveOffline,
  searchCostUsd,
  tokenCostUsd,
} from './models.ts';

const tokens = (prompt: number, output: number, tool: number, thoughts: number, cached = 0) => ({
  prompt,
  output,
  tool,
  thoughts,
  cached,
});

describe('newestOfFamily', () => {
  const listed = [
    'gemini-2.5-flash',
    'gemini-3.5-flash',
    'gemini-3.10-flash-preview',
    'gemini-3.8-flash',
    'gemini-3.9-flash-lite',
    'gemini-3.8-flash-001',
    'gemini-3.1-pro-preview',
    'gemini-embedding-2',
  ];

  it('picks the highest stable version of the family, never a preview, a pinned -00N or another family', () => {
    expect(newestOfFamily('flash', listed)).toBe('gemini-3.8-flash');
    expect(newestOfFamily('flash-lite', listed)).toBe('gemini-3.9-flash-lite');
  });

  it('compares versions as numbers: 3.10 is newer than 3.9', () => {
    expect(newestOfFamily('flash', ['gemini-3.9-flash', 'gemini-3.10-flash'])).toBe('gemini-3.10-flash');
  });

  it('finds nothing when the family has only previews', () => {
    expect(newestOfFamily('pro', listed)).toBeUndefined();
  });
});

describe('resolveOffline', () => {
  it('resolves the families with the fallback table to current Gemini 3 ids', () => {
    expect(resolveOffline('flash').id).toBe('gemini-3.8-flash');
    expect(resolveOffline('flash-lite').id).toBe('gemini-3.5-flash-lite');
    // The table knows no stable pro: its preview stands in.
    expect(resolveOffline('pro').id).toBe('gemini-3.1-pro-preview');
  });

  it('takes a full model id as it is, known or not', () => {
    expect(resolveOffline('gemini-3-flash-preview').id).toBe('gemini-3-flash-preview');
    expect(resolveOffline('gemini-2.5-flash').price?.inputPerMillion).toBe(0.3);
  });

  it('rejects names that cannot be a model id', () => {
    for (const name of ['', 'Flash', 'models/gemini-3.5-flash', '-gemini', 'gemini 3.5', 'gemini_3.5']) {
      expect(() => checkModelName(name), name).toThrow(/^GEMINI_MODEL must be flash, flash-lite, pro or a model id/);
    }
  });
});

describe('capabilities', () => {
  it('knows Gemini 3 takes search with a JSON schema and 2.5 does not, listed or not', () => {
    expect(modelInfo('gemini-3.8-flash').searchWithSchema).toBe(true);
    expect(modelInfo('gemini-3.9-flash-preview').searchWithSchema).toBe(true);
    expect(modelInfo('gemini-2.5-flash').searchWithSchema).toBe(false);
    expect(modelInfo('learnlm-2.0').searchWithSchema).toBe(false);
  });
});

describe('costs', () => {
  const usage = (more: Partial<CallUsage>): CallUsage => ({ ...noUsage(), ...more });

  it('bills prompt and tool tokens as input, output and thoughts as output, cached prompt tokens at the cached rate', () => {
    // 3.5 Flash-Lite: (40k − 10k cached + 10k tool) × $0.30/M + 10k cached × $0.03/M + 5k output × $2.50/M.
    const counted = tokens(40_000, 2_000, 10_000, 3_000, 10_000);
    expect(tokenCostUsd(modelInfo('gemini-3.5-flash-lite'), counted)).toBeCloseTo(0.012 + 0.0003 + 0.0125, 10);
    // 3.8 Flash: a million prompt tokens is $0.75, a million thinking tokens $3.75.
    expect(tokenCostUsd(resolveOffline('flash'), tokens(1_000_000, 0, 0, 0))).toBeCloseTo(0.75, 10);
    expect(tokenCostUsd(resolveOffline('flash'), tokens(0, 0, 0, 1_000_000))).toBeCloseTo(3.75, 10);
  });

  it('bills searches per query on Gemini 3 and per grounded prompt on 2.5', () => {
    const searched = usage({ searchQueries: 30, groundedPrompts: 10 });
    expect(searchCostUsd(modelInfo('gemini-3.8-flash'), searched)).toBeCloseTo(30 * 0.014, 10);
    expect(searchCostUsd(modelInfo('gemini-2.5-flash'), searched)).toBeCloseTo(10 * 0.035, 10);
  });

  it('adds tokens and searches into the whole bill', () => {
    const bill = usage({ tokens: tokens(100_000, 10_000, 0, 0), searchQueries: 4, groundedPrompts: 2 });
    // 100k × $0.75/M + 10k × $3.75/M + 4 × $0.014
    expect(costUsd(modelInfo('gemini-3.8-flash'), bill)).toBeCloseTo(0.075 + 0.0375 + 0.056, 10);
    expect(costUsd(modelInfo('gemini-3.8-flash'), noUsage())).toBe(0);
  });

  it('is unknown, not zero, for a model id without a list price', () => {
    expect(costUsd(modelInfo('gemini-9-flash-preview'), usage({ searchQueries: 1 }))).toBeUndefined();
    expect(tokenCostUsd(modelInfo('gemini-9-flash-preview'), tokens(0, 0, 0, 0))).toBeUndefined();
  });
});
