import { describe, expect, it } from 'vitest';
import { costUsd, MODELS, resolveModel } from './models.ts';

describe('resolveModel', () => {
  it('maps the aliases to Gemini 2.5 Flash and Pro with their prices', () => {
    expect(resolveModel('flash')).toEqual({
      id: 'gemini-2.5-flash',
      price: { inputPerMillion: 0.3, outputPerMillion: 2.5 },
    });
    expect(resolveModel('pro')).toEqual({
      id: 'gemini-2.5-pro',
      price: { inputPerMillion: 1.25, outputPerMillion: 10 },
    });
  });

  it('takes full model ids, pricing the known ones', () => {
    expect(resolveModel('gemini-2.5-flash')).toEqual(MODELS.flash);
    expect(resolveModel('gemini-2.5-flash-lite').price).toEqual({ inputPerMillion: 0.1, outputPerMillion: 0.4 });
    expect(resolveModel('gemini-3-flash-preview')).toEqual({ id: 'gemini-3-flash-preview' });
  });

  it('rejects names that cannot be a model id', () => {
    for (const name of ['', 'Flash', 'models/gemini-2.5-flash', '-gemini', 'gemini 2.5', 'gemini_2.5']) {
      expect(() => resolveModel(name), name).toThrow(/^GEMINI_MODEL must be flash, pro or a model id/);
    }
  });
});

describe('costUsd', () => {
  it('bills prompt and tool tokens as input, output and thoughts as output', () => {
    const tokens = { prompt: 2_000, tool: 1_000, output: 500, thoughts: 1_500 };
    expect(costUsd(MODELS.pro, tokens)).toBeCloseTo(0.02375, 10); // 3k × $1.25/M + 2k × $10/M
    expect(costUsd(MODELS.flash, { prompt: 1_000_000, tool: 0, output: 0, thoughts: 0 })).toBeCloseTo(0.3, 10);
    expect(costUsd(MODELS.flash, { prompt: 0, tool: 0, output: 0, thoughts: 1_000_000 })).toBeCloseTo(2.5, 10);
  });

  it('is unknown for a model without a price', () => {
    expect(
      costUsd(resolveModel('gemini-3-flash-preview'), { prompt: 1, tool: 1, output: 1, thoughts: 1 }),
    ).toBeUndefined();
  });
});
