import { HttpError } from './http-error.ts';

/** Shown values are cut so an error message never echoes a huge input back. */
function shown(value: unknown): string {
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** An optional query value that must be one of `choices`; empty means "any"; anything else is a 400. */
export function parseChoice<T extends string>(value: unknown, choices: readonly T[]): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new HttpError(400, 'bad_filter', 'error.badFilter', { value: shown(value) });
  }
  return value as T;
}

export const MAX_SEARCH_LENGTH = 100;

/** The search text, trimmed; absent means no search yet. Longer than 100 characters, or repeated, is a 400. */
export function parseSearch(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || value.length > MAX_SEARCH_LENGTH || /\p{Cc}/u.test(value)) {
    throw new HttpError(400, 'bad_search', 'error.badSearch', { value: shown(value) });
  }
  return value.trim();
}
