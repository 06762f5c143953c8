import { VISITORS_MARK } from '../views/pages.ts';
import { type Encoded, encode } from './compression.ts';

/** How long a page's compressed bodies keep the visitor count they were made with. */
export const COUNT_REFRESH_MS = 60_000;

/**
 * A rendered page kept as compressed bytes. The visitor count in its footer is filled in when the bodies are
 * made and refreshed at most once a minute, so a page is compressed once a minute at most, not per request;
 * its ETag is the page without the count, so a copy stays valid while the showtimes do.
 */
export class CachedPage {
  readonly #head: string;
  readonly #tail: string;
  readonly #html: string;
  readonly #hasCount: boolean;
  #count: string | undefined;
  #madeAt = 0;
  #encoded: Encoded | undefined;

  constructor(html: string) {
    const at = html.indexOf(VISITORS_MARK);
    this.#html = html;
    this.#hasCount = at !== -1;
    this.#head = at === -1 ? html : html.slice(0, at);
    this.#tail = at === -1 ? '' : html.slice(at + VISITORS_MARK.length);
  }

  /** The page's bodies showing `count`, or showing the count of less than a minute ago. */
  bodies(count: string, now = Date.now()): Encoded {
    if (!this.#encoded || (count !== this.#count && now - this.#madeAt >= COUNT_REFRESH_MS)) {
      const body = Buffer.from(this.#hasCount ? this.#head + count + this.#tail : this.#html);
      this.#encoded = encode(body, { tagSource: this.#html });
      this.#count = count;
      this.#madeAt = now;
    }
    return this.#encoded;
  }
}
