import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { VISITORS_MARK } from '../views/pages.ts';
import { CachedPage, COUNT_REFRESH_MS } from './cached-page.ts';
import { chooseEncoding, encode } from './compression.ts';

describe('chooseEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0, gzip', 'gzip'],
    ['identity', 'identity'],
    ['deflate, zstd', 'identity'],
    ['BR;Q=1', 'br'],
    ['garbage;;;, ,', 'identity'],
  ])('%j → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('encode', () => {
  it('makes brotli and gzip bodies that decode to the original', () => {
    const body = Buffer.from('<p>Київ</p>'.repeat(200));
    const { bodies } = encode(body);
    expect(brotliDecompressSync(bodies.br)).toEqual(body);
    expect(gunzipSync(bodies.gzip)).toEqual(body);
    expect(bodies.identity).toBe(body);
    expect(bodies.br.length).toBeLessThan(body.length / 10);
  });
});

describe('CachedPage', () => {
  const html = `<main>showtimes</main><footer>Visitors: ${VISITORS_MARK}</footer>`;

  it('fills in the count, keeps its bodies for a minute, and keeps one ETag whatever the count', () => {
    const page = new CachedPage(html);
    const first = page.bodies('7', 1_000);
    expect(first.bodies.identity.toString()).toContain('Visitors: 7');
    expect(page.bodies('8', 1_000 + COUNT_REFRESH_MS - 1)).toBe(first);
    const later = page.bodies('9', 1_000 + COUNT_REFRESH_MS);
    expect(later.bodies.identity.toString()).toContain('Visitors: 9');
    expect(brotliDecompressSync(later.bodies.br).toString()).toContain('Visitors: 9');
    expect(later.tag).toBe(first.tag);
    expect(new CachedPage(html.replace('showtimes', 'other')).bodies('7').tag).not.toBe(first.tag);
  });

  it('serves a page without a count mark as it is', () => {
    expect(new CachedPage('<p>x</p>').bodies('5').bodies.identity.toString()).toBe('<p>x</p>');
  });
});
