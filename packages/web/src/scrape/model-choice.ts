import {
  FALLBACK_SOURCE,
  fallbackIds,
  isFamily,
  type ModelInfo,
  modelInfo,
  newestOfFamily,
  resolveOffline,
  retiredOn,
} from './models.ts';

/** What GEMINI_MODEL became: the model to call, and the sentence to log. */
export type ModelChoice =
  | { ok: true; model: ModelInfo; line: string; fromFallback: boolean }
  /** No usable model: `line` says what was asked, what exists and what to set. */
  | { ok: false; asked: string; line: string };

/** The ids of the model list (`models/` dropped) that support generateContent, or the reason it could not be read. */
export type ModelList = { ids: string[] } | { unreadable: string };

function offered(ids: readonly string[]): string {
  const shown = ids.filter((id) => id.startsWith('gemini-')).slice(0, 8);
  return shown.length > 0 ? shown.join(', ') : 'no Gemini models';
}

/**
 * GEMINI_MODEL against the API's model list: a family becomes its newest stable member, a full id must be
 * listed. When the list could not be read, the fallback table decides.
 */
export function chooseModel(asked: string, list: ModelList, variable = 'GEMINI_MODEL'): ModelChoice {
  if ('unreadable' in list) {
    const model = resolveOffline(asked);
    const retired = retiredOn(model.id);
    if (retired) {
      return {
        ok: false,
        asked,
        line: `${variable}=${asked}: ${model.id} was retired on ${retired} (${FALLBACK_SOURCE}); set ${variable} to flash, flash-lite, pro or one of ${fallbackIds().join(', ')}.`,
      };
    }
    return {
      ok: true,
      model,
      fromFallback: true,
      line: `${asked} → ${model.id} (the Gemini model list could not be read: ${list.unreadable}; using the table from ${FALLBACK_SOURCE})`,
    };
  }
  const sorted = [...list.ids].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  if (isFamily(asked)) {
    const id = newestOfFamily(asked, sorted);
    if (id) return { ok: true, model: modelInfo(id), fromFallback: false, line: `${asked} → ${id}` };
    return {
      ok: false,
      asked,
      line: `${variable}=${asked}: the Gemini API offers no stable ${asked} model (it offers ${offered(sorted)}); set ${variable} to one of those ids in full.`,
    };
  }
  if (sorted.includes(asked)) return { ok: true, model: modelInfo(asked), fromFallback: false, line: `${asked}` };
  const retired = retiredOn(asked);
  return {
    ok: false,
    asked,
    line: `${variable}=${asked}: the Gemini API does not offer this model${retired ? ` (retired on ${retired})` : ''}; it offers ${offered(sorted)}; set ${variable} to flash, flash-lite, pro or one of those ids.`,
  };
}
