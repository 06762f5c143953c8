import { GoogleGenAI } from '@google/genai';
import type { ModelList } from './model-choice.ts';

const PAGE_SIZE = 100;
/** A list longer than this is not the Gemini API's: stop paging. */
const MAX_MODELS = 2_000;

/** One read per endpoint and process: every start-up question is answered from it. */
const cache = new Map<string, Promise<ModelList>>();

/** The model ids (without `models/`) that support generateContent, every page of the SDK's `models.list()`. */
async function readModelList(ai: GoogleGenAI, apiKey: string): Promise<ModelList> {
  try {
    const ids: string[] = [];
    const pager = await ai.models.list({ config: { pageSize: PAGE_SIZE } });
    for await (const model of pager) {
      const id = model.name?.replace(/^models\//, '');
      if (id && (model.supportedActions ?? []).includes('generateContent')) ids.push(id);
      if (ids.length >= MAX_MODELS) break;
    }
    return ids.length > 0 ? { ids } : { unreadable: 'it lists no model that supports generateContent' };
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error);
    return { unreadable: said.split(apiKey).join('[REDACTED]').slice(0, 200) };
  }
}

export function modelList(options: { apiKey: string; baseUrl?: string; timeoutMs: number }): Promise<ModelList> {
  const key = options.baseUrl ?? 'google';
  let list = cache.get(key);
  if (!list) {
    const ai = new GoogleGenAI({
      apiKey: options.apiKey,
      vertexai: false,
      httpOptions: {
        apiVersion: 'v1beta',
        timeout: options.timeoutMs,
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      },
    });
    list = readModelList(ai, options.apiKey).then((read) => {
      // An unreadable list is asked again at the next start-up question, a read one is kept.
      if ('unreadable' in read) cache.delete(key);
      return read;
    });
    cache.set(key, list);
  }
  return list;
}
