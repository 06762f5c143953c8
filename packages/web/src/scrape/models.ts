import type { TokenCounts } from '../domain/model.ts';

export const FAMILIES = ['flash', 'flash-lite', 'pro'] as const;
export type Family = (typeof FAMILIES)[number];

/** How Google Search grounding is billed on top of tokens. */
export interface SearchPrice {
  /** Gemini 3 bills every executed search query; Gemini 2.5 every prompt that was grounded. */
  per: 'query' | 'prompt';
  usdPerThousand: number;
  /** The free allowance, as Google states it. It is shared by every use of the key, so costs here are at list price. */
  freeAllowance: string;
}

/** USD per million tokens. Tool-use prompt tokens (search results, read pages) bill as input, thinking tokens as output. */
export interface ModelPrice {
  inputPerMillion: number;
  /** Input tokens served from the implicit cache. */
  cachedInputPerMillion: number;
  outputPerMillion: number;
  search: SearchPrice;
}

export interface ModelInfo {
  id: string;
  /** Unknown for model ids that are not in the table below. */
  price?: ModelPrice;
  /** Takes Google Search and a JSON response schema in one call (Gemini 3); otherwise a second call formats the JSON. */
  searchWithSchema: boolean;
}

interface TableRow {
  family: Family;
  /** Preview ids are used only when GEMINI_MODEL names them in full. */
  stable: boolean;
  price: ModelPrice;
  /** The shutdown date the deprecations page gives, for ids already retired. */
  retired?: string;
}

const GEMINI_3_SEARCH: SearchPrice = {
  per: 'query',
  usdPerThousand: 14,
  freeAllowance: '5,000 search queries a month, shared by all Gemini 3 models',
};
const GEMINI_25_SEARCH: SearchPrice = {
  per: 'prompt',
  usdPerThousand: 35,
  freeAllowance: '1,500 grounded prompts a day',
};

/** Where the fallback table below comes from, and when it was read. */
export const FALLBACK_SOURCE = 'ai.google.dev/gemini-api/docs/pricing and …/docs/deprecations, as published 2026-10-07';

/**
 * The fallback table: paid-tier list prices for text prompts up to 200k tokens (every prompt of this project),
 * cached input at 10% of input (implicit caching, 90% off). Used for prices always, and for ids only when the
 * API's model list cannot be read. gemini-3.8-flash is at its launch price, which Google gives through
 * 2026-12-31 ($1.50 / $7.50 from 2027-01-01).
 */
const TABLE: Record<string, TableRow> = {
  'gemini-3.8-flash': {
    family: 'flash',
    stable: true,
    price: { inputPerMillion: 0.75, cachedInputPerMillion: 0.075, outputPerMillion: 3.75, search: GEMINI_3_SEARCH },
  },
  'gemini-3.5-flash': {
    family: 'flash',
    stable: true,
    price: { inputPerMillion: 1.5, cachedInputPerMillion: 0.15, outputPerMillion: 9, search: GEMINI_3_SEARCH },
  },
  'gemini-3.5-flash-lite': {
    family: 'flash-lite',
    stable: true,
    price: { inputPerMillion: 0.3, cachedInputPerMillion: 0.03, outputPerMillion: 2.5, search: GEMINI_3_SEARCH },
  },
  'gemini-3.1-pro-preview': {
    family: 'pro',
    stable: false,
    price: { inputPerMillion: 2, cachedInputPerMillion: 0.2, outputPerMillion: 12, search: GEMINI_3_SEARCH },
  },
  'gemini-2.5-flash': {
    family: 'flash',
    stable: true,
    retired: '2026-10-16',
    price: { inputPerMillion: 0.3, cachedInputPerMillion: 0.03, outputPerMillion: 2.5, search: GEMINI_25_SEARCH },
  },
  'gemini-2.5-flash-lite': {
    family: 'flash-lite',
    stable: true,
    retired: '2026-10-16',
    price: { inputPerMillion: 0.1, cachedInputPerMillion: 0.01, outputPerMillion: 0.4, search: GEMINI_25_SEARCH },
  },
  'gemini-2.5-pro': {
    family: 'pro',
    stable: true,
    retired: '2026-10-16',
    price: { inputPerMillion: 1.25, cachedInputPerMillion: 0.125, outputPerMillion: 10, search: GEMINI_25_SEARCH },
  },
};

/** `gemini-<version>-<family>`, nothing after it: the stable id of a family member. */
const STABLE_ID = /^gemini-(\d+(?:\.\d+)?)-(flash-lite|flash|pro)$/;
const MODEL_ID = /^[a-z0-9][a-z0-9.-]*$/;

export function isFamily(name: string): name is Family {
  return (FAMILIES as readonly string[]).includes(name);
}

/** Checks GEMINI_MODEL's shape; a one-sentence error otherwise. */
export function checkModelName(name: string): void {
  if (isFamily(name) || MODEL_ID.test(name)) return;
  throw new Error(
    `GEMINI_MODEL must be flash, flash-lite, pro or a model id like gemini-3.5-flash (lowercase letters, digits, dots and dashes), got "${name}".`,
  );
}

/** The Gemini generation in a model id (`gemini-3.5-flash` → 3.5), or 0 when it names none. */
function generationOf(id: string): number {
  return Number(/^gemini-(\d+(?:\.\d+)?)/.exec(id)?.[1] ?? 0);
}

/** A model id's price and capabilities: from the table, else by its generation (search with a schema from Gemini 3). */
export function modelInfo(id: string): ModelInfo {
  const row = TABLE[id];
  const searchWithSchema = generationOf(id) >= 3;
  return row ? { id, price: row.price, searchWithSchema } : { id, searchWithSchema };
}

/** The shutdown date of a retired id in the table. */
export function retiredOn(id: string): string | undefined {
  return TABLE[id]?.retired;
}

/** `3.10` is newer than `3.9`: versions compare part by part, as numbers. */
function newerVersion(a: string, b: string): boolean {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor !== bMajor ? aMajor > bMajor : aMinor > bMinor;
}

/** The newest stable member of the family among `ids`. */
export function newestOfFamily(family: Family, ids: readonly string[]): string | undefined {
  let best: { id: string; version: string } | undefined;
  for (const id of ids) {
    const match = STABLE_ID.exec(id);
    if (!match?.[1] || match[2] !== family) continue;
    const version = match[1];
    if (!best || newerVersion(version, best.version)) best = { id, version };
  }
  return best?.id;
}

/** The ids the fallback table offers today: not retired. */
export function fallbackIds(): string[] {
  return Object.entries(TABLE)
    .filter(([, row]) => !row.retired)
    .map(([id]) => id);
}

/** `flash`, `flash-lite`, `pro` or a full id, resolved with the fallback table alone (no API call). */
export function resolveOffline(name: string): ModelInfo {
  checkModelName(name);
  if (!isFamily(name)) return modelInfo(name);
  const id = newestOfFamily(name, fallbackIds());
  // No stable pro in the table: its newest preview stands in, as the table's best guess.
  const preview = Object.entries(TABLE).find(([, row]) => row.family === name && !row.retired)?.[0];
  return modelInfo(id ?? preview ?? `gemini-${name}`);
}

/** What one or more calls used: tokens by kind, searches run, pages read. */
export interface CallUsage {
  tokens: TokenCounts;
  /** Non-empty `groundingMetadata.webSearchQueries`, summed over calls. */
  searchQueries: number;
  /** Calls that ran at least one search (Gemini 2.5 bills these). */
  groundedPrompts: number;
  /** `urlContextMetadata.urlMetadata` entries, and those not retrieved successfully. */
  urlRetrievals: number;
  urlFailures: number;
}

export function noUsage(): CallUsage {
  return {
    tokens: { prompt: 0, output: 0, tool: 0, thoughts: 0, cached: 0 },
    searchQueries: 0,
    groundedPrompts: 0,
    urlRetrievals: 0,
    urlFailures: 0,
  };
}

export function addCallUsage(total: CallUsage, more: CallUsage): void {
  total.tokens.prompt += more.tokens.prompt;
  total.tokens.output += more.tokens.output;
  total.tokens.tool += more.tokens.tool;
  total.tokens.thoughts += more.tokens.thoughts;
  total.tokens.cached = (total.tokens.cached ?? 0) + (more.tokens.cached ?? 0);
  total.searchQueries += more.searchQueries;
  total.groundedPrompts += more.groundedPrompts;
  total.urlRetrievals += more.urlRetrievals;
  total.urlFailures += more.urlFailures;
}

/** What the tokens cost at the model's list price, searches left out; undefined when its price is unknown. */
export function tokenCostUsd(model: ModelInfo, tokens: TokenCounts): number | undefined {
  if (!model.price) return undefined;
  // promptTokenCount includes the cached tokens; they bill at the cached rate instead.
  const cached = Math.min(tokens.cached ?? 0, tokens.prompt);
  const input = tokens.prompt - cached + tokens.tool;
  const output = tokens.output + tokens.thoughts;
  const { inputPerMillion, cachedInputPerMillion, outputPerMillion } = model.price;
  return (input * inputPerMillion + cached * cachedInputPerMillion + output * outputPerMillion) / 1_000_000;
}

/** What the searches cost at list price: per query on Gemini 3, per grounded prompt on 2.5. */
export function searchCostUsd(model: ModelInfo, usage: Pick<CallUsage, 'searchQueries' | 'groundedPrompts'>) {
  if (!model.price) return undefined;
  const { per, usdPerThousand } = model.price.search;
  return ((per === 'query' ? usage.searchQueries : usage.groundedPrompts) * usdPerThousand) / 1000;
}

/** The whole bill of some calls at list price (tokens plus searches), or undefined when the price is unknown. */
export function costUsd(model: ModelInfo, usage: CallUsage): number | undefined {
  const tokens = tokenCostUsd(model, usage.tokens);
  const searches = searchCostUsd(model, usage);
  return tokens === undefined || searches === undefined ? undefined : tokens + searches;
}
