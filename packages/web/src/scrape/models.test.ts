import { describe, expect, it } from 'vitest';
import { costUsd, resolveModel } from './models.ts';

const none = { prompt: 0, tool: 0, output: 0, thoughts: 0 };

describe('resolveModel', () => {
  it('resolves the families flash and pro to their Gemini 2.5 model ids', () => {
    expect(resolveModel('flash').id).toBe('gemini-2.5-flash');
    expect(resolveModel('pro').id).toBe('gemini-2.5-pro');
  });

  it('takes a full model id as it is, known or not', () => {
    expect(resolveModel('gemini-2.5-flash-lite').id).toBe('gemini-2.5-flash-lite');
    expect(resolveModel('gemini-3-flash-preview').id).toBe('gemini-3-flash-preview');
  });

  it('rejects names that cannot be a model id', () => {
    for (const name of ['', 'Flash', 'models/gemini-2.5-flash', '-gemini', 'gemini 2.5', 'gemini_2.5']) {
      expect(() => resolveModel(name), name).toThrow(/^GEMINI_MODEL must be flash, pro or a model id/);
    }
  });
});

describe('costUsd', () => {
  it('bills prompt and tool tokens as input, output and thoughts as output, at list price', () => {
    // Flash-Lite: 50k input tokens × $0.10/M + 5k output tokens × $0.40/M = $0.005 + $0.002.
    const usage = { prompt: 40_000, tool: 10_000, output: 2_000, thoughts: 3_000 };
    expect(costUsd(resolveModel('gemini-2.5-flash-lite'), usage)).toBeCloseTo(0.007, 10);
    // Pro: 3k input × $1.25/M + 2k output × $10/M = $0.00375 + $0.02.
    expect(costUsd(resolveModel('pro'), { prompt: 2_000, tool: 1_000, output: 500, thoughts: 1_500 })).toBeCloseTo(
      0.02375,
      10,
    );
    // Flash: a million prompt tokens is $0.30, a million thinking tokens $2.50.
    expect(costUsd(resolveModel('flash'), { ...none, prompt: 1_000_000 })).toBeCloseTo(0.3, 10);
    expect(costUsd(resolveModel('flash'), { ...none, thoughts: 1_000_000 })).toBeCloseTo(2.5, 10);
  });

  it('costs the same through a family name as through its model id, and nothing for no tokens', () => {
    const usage = { prompt: 12_345, tool: 678, output: 910, thoughts: 1_112 };
    expect(costUsd(resolveModel('flash'), usage)).toBe(costUsd(resolveModel('gemini-2.5-flash'), usage));
    expect(costUsd(resolveModel('pro'), usage)).toBe(costUsd(resolveModel('gemini-2.5-pro'), usage));
    expect(costUsd(resolveModel('pro'), none)).toBe(0);
  });

  it('is unknown, not zero, for a model id without a list price', () => {
    expect(
      costUsd(resolveModel('gemini-3-flash-preview'), { prompt: 1, tool: 1, output: 1, thoughts: 1 }),
    ).toBeUndefined();
    expect(costUsd(resolveModel('gemini-3-flash-preview'), none)).toBeUndefined();
  });
});
