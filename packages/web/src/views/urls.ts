import type { Lang } from '../domain/model.ts';

/** Builds links under the app's base path: `/cinestream/en/city/kyiv?date=…`. */
export class Urls {
  readonly base: string;

  constructor(basePath: string) {
    this.base = basePath;
  }

  home(lang: Lang): string {
    return `${this.base}/${lang}/`;
  }

  city(lang: Lang, slug: string, query: Record<string, string | undefined> = {}): string {
    return `${this.base}/${lang}${Urls.cityPath(slug, query)}`;
  }

  cinema(lang: Lang, slug: string, key: string, query: Record<string, string | undefined> = {}): string {
    return `${this.base}/${lang}${Urls.cinemaPath(slug, key, query)}`;
  }

  film(lang: Lang, slug: string, key: string): string {
    return `${this.base}/${lang}${Urls.filmPath(slug, key)}`;
  }

  search(lang: Lang, slug: string, query: string | undefined = undefined): string {
    return `${this.base}/${lang}${Urls.searchPath(slug, query)}`;
  }

  static cinemaPath(slug: string, key: string, query: Record<string, string | undefined> = {}): string {
    return `/city/${encodeURIComponent(slug)}/cinema/${encodeURIComponent(key)}${Urls.#search(query)}`;
  }

  static filmPath(slug: string, key: string): string {
    return `/city/${encodeURIComponent(slug)}/film/${encodeURIComponent(key)}`;
  }

  static searchPath(slug: string, query: string | undefined): string {
    return `/city/${encodeURIComponent(slug)}/search${Urls.#search({ q: query })}`;
  }

  /** `?a=1&b=2` of the non-empty values, in the order given; empty when there are none. */
  static #search(query: Record<string, string | undefined>): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
    const search = params.toString();
    return search ? `?${search}` : '';
  }

  /** A city page's path after the language, with only the non-empty query values, in a fixed order. */
  static cityPath(slug: string, query: Record<string, string | undefined> = {}): string {
    return `/city/${encodeURIComponent(slug)}${Urls.#search(query)}`;
  }

  /** The same page in another language: `path` is the part after the language, with its query. */
  switchLanguage(lang: Lang, pathAfterLang: string): string {
    return `${this.base}/lang/${lang}?next=${encodeURIComponent(`${this.base}/${lang}${pathAfterLang}`)}`;
  }

  asset(file: string, version: string): string {
    return `${this.base}/static/${file}?v=${version}`;
  }
}
