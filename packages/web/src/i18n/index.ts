import { LANGS, type Lang } from '../domain/model.ts';
import { en } from './en.ts';
import { ru } from './ru.ts';
import { type Catalog, type MessageKey, uk } from './uk.ts';

export type { MessageKey } from './uk.ts';

export const DEFAULT_LANG: Lang = 'uk';
export const catalogs: Record<Lang, Catalog> = { uk, en, ru };

/** Each language's own name, shown in the switch in every language. */
export const LANGUAGE_NAMES: Record<Lang, string> = { uk: 'Українська', en: 'English', ru: 'Русский' };
export const LOCALES: Record<Lang, string> = { uk: 'uk-UA', en: 'en-GB', ru: 'ru-UA' };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

type Vars = Record<string, string | number>;

const pluralRules = Object.fromEntries(LANGS.map((lang) => [lang, new Intl.PluralRules(LOCALES[lang])])) as Record<
  Lang,
  Intl.PluralRules
>;

function fill(text: string, vars: Vars): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The message in `lang` with `{name}` placeholders filled. */
export function t(lang: Lang, key: MessageKey, vars: Vars = {}): string {
  return fill(catalogs[lang][key], vars);
}

/** A counted message: `base` names keys `base_one`, `base_few`, `base_many`, `base_other`. */
export function tCount(lang: Lang, base: 'home.days' | 'city.movies', count: number): string {
  const category = pluralRules[lang].select(count);
  const key = `${base}_${category === 'zero' || category === 'two' ? 'other' : category}` as MessageKey;
  return fill(catalogs[lang][key] ?? catalogs[lang][`${base}_other`], { count });
}

/** The message for `key` when the catalog has it (genres, audio languages), otherwise `fallback`. */
export function tMaybe(lang: Lang, key: string, fallback: string): string {
  return key in catalogs[lang] ? catalogs[lang][key as MessageKey] : fallback;
}

/** The best supported language in an Accept-Language header, or the default. */
export function negotiateLang(header: string | undefined): Lang {
  if (!header) return DEFAULT_LANG;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { primary: tag.split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked.find((entry) => isLang(entry.primary))?.primary as Lang | undefined) ?? DEFAULT_LANG;
}
