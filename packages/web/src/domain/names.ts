import type { Lang, Theater } from './model.ts';

/** Ukrainian letters as the national standard (2010) writes them in Latin; Russian-only letters after them. */
const LETTERS: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'h',
  ґ: 'g',
  д: 'd',
  е: 'e',
  є: 'ie',
  ж: 'zh',
  з: 'z',
  и: 'y',
  і: 'i',
  ї: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ь: '',
  ю: 'iu',
  я: 'ia',
  ё: 'io',
  ъ: '',
  ы: 'y',
  э: 'e',
};

/** At the start of a word these letters are written differently: Yevhen, Yizhakevych, Yosyp, Yurii, Yaroslav. */
const WORD_START: Record<string, string> = { є: 'ye', ї: 'yi', й: 'y', ю: 'yu', я: 'ya', ё: 'yo' };

const APOSTROPHES = /['ʼ’]/;

/** Cyrillic text in Latin letters (the Ukrainian national standard); anything else is kept as it is. */
export function transliterate(text: string): string {
  let out = '';
  let previous = '';
  for (const char of text) {
    const lower = char.toLowerCase();
    const wordStart = !/\p{L}/u.test(previous);
    let latin = (wordStart ? WORD_START[lower] : undefined) ?? LETTERS[lower];
    // "зг" is written "zgh", so it does not read as "zh".
    if (lower === 'г' && previous.toLowerCase() === 'з') latin = 'gh';
    if (latin === undefined) {
      // An apostrophe inside a word only says how to pronounce it; the standard drops it.
      if (APOSTROPHES.test(char) && /\p{Script=Cyrillic}/u.test(previous)) continue;
      out += char;
    } else if (char !== lower && latin) {
      out += latin[0]?.toUpperCase() + latin.slice(1);
    } else {
      out += latin;
    }
    previous = char;
  }
  return out;
}

/** Spellings that differ between languages and transliterations but sound alike, folded to one. */
const LOOSE: [RegExp, string][] = [
  [/kh|gh|g/g, 'h'],
  [/ph/g, 'f'],
  [/w/g, 'v'],
  [/x/g, 'ks'],
  [/c(?!h)/g, 'k'],
  [/[yj]/g, 'i'],
  [/(.)\1+/g, '$1'],
];

/**
 * A title as a search compares it: without accents, case and punctuation, Cyrillic in Latin letters, and
 * spellings that sound alike folded together, so "Глибока орбіта", "Глубокая орбита" and "hlyboka" meet.
 */
export function searchKey(text: string): string {
  let key = transliterate(text.normalize('NFKD').replace(/\p{M}/gu, '').normalize('NFC'))
    .toLowerCase()
    .replace(/['ʼ’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  for (const [pattern, replacement] of LOOSE) key = key.replace(pattern, replacement);
  return key;
}

/** True when every word of the query begins somewhere in one of the texts. */
export function matchesSearch(query: string, texts: readonly string[]): boolean {
  const words = searchKey(query).split(' ').filter(Boolean);
  if (words.length === 0) return false;
  const keys = texts.map((text) => ` ${searchKey(text)}`);
  return keys.some((key) => words.every((word) => key.includes(` ${word}`)));
}

/** A name to show, and the language it is written in when that is not the page's. */
export interface ShownName {
  text: string;
  lang?: Lang;
}

/**
 * A cinema's name in the page's language: the name given for that language; else on English pages its own
 * name in Latin letters; else its own (Ukrainian) name, marked as such.
 */
export function theaterName(theater: Pick<Theater, 'name' | 'names'>, lang: Lang): ShownName {
  const given = theater.names?.[lang];
  if (given) return { text: given };
  if (lang === 'uk') return { text: theater.name };
  if (lang === 'en') return { text: transliterate(theater.name) };
  return /\p{Script=Cyrillic}/u.test(theater.name) ? { text: theater.name, lang: 'uk' } : { text: theater.name };
}
