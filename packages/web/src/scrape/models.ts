import type { TokenCounts } from '../domain/model.ts';

/** USD per million tokens. Tool-use prompt tokens bill as input, thinking tokens as output. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

export interface ModelInfo {
  id: string;
  /** Unknown for model ids that are not in the table below. */
  price?: ModelPrice;
}

/**
 * Paid-tier list prices of the Gemini API (ai.google.dev/gemini-api/docs/pricing, read 2026-09-20) for text
 * prompts up to 200k tokens, which is every prompt of this project. Grounding with Google Search bills per
 * request on top of tokens (Gemini 2.5: 1,500 grounded prompts a day free, then $35 per 1,000); that is not a
 * token price and is left out.
 */
const PRICES: Record<string, ModelPrice> = {
  'gemini-2.5-flash': { inputPerMillion: 0.3, outputPerMillion: 2.5 },
  'gemini-2.5-pro': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'gemini-2.5-flash-lite': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
};

function known(id: string): ModelInfo {
  const price = PRICES[id];
  return price ? { id, price } : { id };
}

export const MODELS: { flash: ModelInfo; pro: ModelInfo } = {
  flash: known('gemini-2.5-flash'),
  pro: known('gemini-2.5-pro'),
};

const MODEL_ID = /^[a-z0-9][a-z0-9.-]*$/;

/** `flash`, `pro`, or a full model id such as `gemini-2.5-flash-lite`; throws a one-sentence error otherwise. */
export function resolveModel(name: string): ModelInfo {
  if (name === 'flash' || name === 'pro') return MODELS[name];
  if (!MODEL_ID.test(name)) {
    throw new Error(
      `GEMINI_MODEL must be flash, pro or a model id like gemini-2.5-flash-lite (lowercase letters, digits, dots and dashes), got "${name}".`,
    );
  }
  return known(name);
}

/** What the tokens cost at the model's list price, or undefined when its price is unknown. */
export function costUsd(model: ModelInfo, tokens: TokenCounts): number | undefined {
  if (!model.price) return undefined;
  const input = tokens.prompt + tokens.tool;
  const output = tokens.output + tokens.thoughts;
  return (input * model.price.inputPerMillion + output * model.price.outputPerMillion) / 1_000_000;
}
