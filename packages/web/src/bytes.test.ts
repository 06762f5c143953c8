import { request } from 'node:http';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/support/app.ts';

// 08:00 in Kyiv: every showing of the day is still to come, so the page and its JSON-LD are at their largest.
const NOW = new Date('2026-11-24T06:00:00Z');
const WIRE_LIMIT = 6 * 1024;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body stays as it came over the wire (fetch would decode it). */
function raw(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('bytes on the wire', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: NOW });
  });
  afterAll(() => app.close());

  it(`sends the city page brotli-compressed in at most ${WIRE_LIMIT} bytes, gzip when brotli is not accepted`, async () => {
    const br = await raw(`${app.url}/uk/city/kyiv`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/Accept-Encoding/);
    expect(br.body.length).toBeLessThanOrEqual(WIRE_LIMIT);
    expect(brotliDecompressSync(br.body).toString()).toContain('</html>');
    const gzip = await raw(`${app.url}/uk/city/kyiv`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const plain = await raw(`${app.url}/uk/city/kyiv`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(br.body.length * 4);
  });

  it('compresses the API, the stylesheet, the script and the icon', async () => {
    const html = (await raw(`${app.url}/uk/`)).body.toString();
    const assets = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((match) => match[1] ?? '');
    expect(assets).toHaveLength(3);
    for (const path of ['/api/cities/kyiv/showtimes', ...assets]) {
      const response = await raw(`${app.url}${path}`, { 'accept-encoding': 'br' });
      expect([path, response.headers['content-encoding']]).toEqual([path, 'br']);
    }
  });

  it('keeps the ETag while the showtimes stay, however many visitors arrive, and revalidates with a 304', async () => {
    const headers = { 'accept-encoding': 'br' };
    const first = await raw(`${app.url}/en/city/kyiv`, headers);
    await raw(`${app.url}/en/city/kyiv`, headers); // a new visitor: no cookie
    const again = await raw(`${app.url}/en/city/kyiv`, headers);
    const etag = String(first.headers.etag);
    expect(again.headers.etag).toBe(etag);
    const revalidated = await raw(`${app.url}/en/city/kyiv`, { ...headers, 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect((await raw(`${app.url}/en/city/kyiv`, { 'accept-encoding': 'gzip' })).headers.etag).not.toBe(etag);
  });
});
