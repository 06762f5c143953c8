import { createHash } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPageFetcher, type PageFetcherOptions, type PageResult } from './fetcher.ts';

/** When set, DNS answers these addresses for the nth lookup instead of asking the resolver. */
const fakeDns = vi.hoisted(() => ({ answer: undefined as ((call: number) => string) | undefined, calls: 0 }));

vi.mock('node:dns', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns')>();
  const lookup = (hostname: string, options: object, callback: (...args: unknown[]) => void) => {
    if (!fakeDns.answer) return real.lookup(hostname, options, callback);
    const address = fakeDns.answer(fakeDns.calls++);
    process.nextTick(() => callback(null, [{ address, family: 4 }]));
  };
  return { ...real, lookup };
});

const UA = 'CineStream/0.1 (+https://cinestream.example)';
const MB = 1024 * 1024;

type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  at: number;
}

interface Fixture {
  origin: string;
  host: string;
  port: number;
  seen: Seen[];
  paths: () => string[];
}

const servers: Server[] = [];

afterEach(async () => {
  fakeDns.answer = undefined;
  fakeDns.calls = 0;
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server on 127.0.0.1 answering `routes` by path (query included); anything else, robots.txt too, is a 404. */
async function serve(routes: Record<string, Handler>): Promise<Fixture> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    seen.push({ path, headers: request.headers, at: performance.now() });
    const handler = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (handler) return void handler(request, response);
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    seen,
    paths: () => seen.map((s) => s.path),
  };
}

const html =
  (body: string | Buffer, headers: Record<string, string> = {}): Handler =>
  (_request, response) =>
    void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);

const redirect =
  (location: string, status = 302): Handler =>
  (_request, response) =>
    void response.writeHead(status, { location }).end();

/** Never answers. */
const silent: Handler = () => {};

function pages(options: Partial<PageFetcherOptions> = {}) {
  return createPageFetcher({ userAgent: UA, allowLoopback: true, perHostDelayMs: 0, ...options });
}

function expectFailed(result: PageResult, code: string): string {
  expect(result).toMatchObject({ kind: 'failed', code });
  return result.kind === 'failed' ? result.reason : '';
}

/** The addresses every client socket of this process tried to connect to while `run` ran. */
async function connectionAttempts<T>(run: () => Promise<T>): Promise<{ value: T; attempts: string[] }> {
  const attempts: string[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    socket.on('connectionAttempt', (ip: string) => attempts.push(ip));
  };
  subscribe('net.client.socket', onSocket);
  try {
    return { value: await run(), attempts };
  } finally {
    unsubscribe('net.client.socket', onSocket);
  }
}

describe('createPageFetcher', () => {
  it('reads a page: body, hash, validators, and the headers it sends', async () => {
    const body = '<html><body>Сеанси 19:30</body></html>';
    const site = await serve({
      '/schedule': html(body, { etag: '"v1"', 'last-modified': 'Tue, 24 Nov 2026 08:00:00 GMT' }),
    });
    const result = await pages().fetch(`${site.origin}/schedule`);
    expect(result).toEqual({
      kind: 'page',
      finalUrl: `${site.origin}/schedule`,
      contentType: 'html',
      body,
      hash: createHash('sha256').update(body).digest('hex'),
      validators: { etag: '"v1"', lastModified: 'Tue, 24 Nov 2026 08:00:00 GMT' },
    });
    expect(site.paths()).toEqual(['/robots.txt', '/schedule']);
    expect(site.seen.map((s) => s.headers['user-agent'])).toEqual([UA, UA]);
    const page = site.seen[1]?.headers;
    expect(page?.accept).toBe('text/html,application/xhtml+xml,application/json;q=0.9,text/plain;q=0.8');
    expect(page?.['accept-encoding']).toBe('gzip, deflate, br');
    expect(page?.['if-none-match']).toBeUndefined();
  });

  describe('addresses', () => {
    it('refuses http://localhost/ once resolved, before any request, unless loopback is allowed', async () => {
      const site = await serve({ '/': html('<p>hi</p>') });
      const url = `http://localhost:${site.port}/`;
      const refused = await pages({ allowLoopback: false }).fetch(url);
      expect(expectFailed(refused, 'address')).toMatch(
        new RegExp(
          `^http://localhost:${site.port}/ resolves to (127\\.0\\.0\\.1|::1), a loopback address; not fetched$`,
        ),
      );
      expect(site.seen).toEqual([]);
      expect(await pages().fetch(url)).toMatchObject({ kind: 'page', body: '<p>hi</p>' });
    });

    it('checks the address again when connecting, so a name cannot rebind to a private one', async () => {
      const site = await serve({ '/': html('<p>hi</p>') });
      // Public for the walk's own checks (the page's host, then robots.txt's), loopback for the connection.
      fakeDns.answer = (call) => (call < 2 ? '93.184.215.14' : '127.0.0.1');
      const fetcher = pages({ allowLoopback: false });
      const { value, attempts } = await connectionAttempts(() => fetcher.fetch(`http://rebind.example:${site.port}/`));
      expect(expectFailed(value, 'address')).toContain('robots.txt resolves to 127.0.0.1, a loopback address');
      expect(attempts).toEqual([]);
      expect(site.seen).toEqual([]);
    });

    it.each([
      ['http://127.0.0.1:1/', 'http://127.0.0.1:1/ is a loopback address; not fetched'],
      ['http://[::1]:1/', 'http://[::1]:1/ is a loopback address; not fetched'],
      ['http://0x7f000001:1/', 'http://127.0.0.1:1/ is a loopback address; not fetched'],
      [
        'http://169.254.169.254/latest/meta-data/',
        'http://169.254.169.254/latest/meta-data/ is a link-local address; not fetched',
      ],
      ['http://[fd00::1]/', 'http://[fd00::1]/ is a unique-local address; not fetched'],
      ['http://224.0.0.1/', 'http://224.0.0.1/ is a multicast address; not fetched'],
    ])('refuses the literal %s without connecting', async (url, reason) => {
      const { value, attempts } = await connectionAttempts(() => pages({ allowLoopback: false }).fetch(url));
      expect(value).toEqual({ kind: 'failed', code: 'address', reason });
      expect(attempts).toEqual([]);
    });

    it.each([
      ['ftp://kino.example/schedule', 'ftp://kino.example/schedule is not an http or https URL; not fetched'],
      ['https://user:secret@kino.example/', 'https://kino.example/ carries credentials; not fetched'],
      ['javascript:alert(1)', 'javascript:alert(1) is not an http or https URL; not fetched'],
    ])('refuses %s as a URL', async (url, reason) => {
      expect(await pages().fetch(url)).toEqual({ kind: 'failed', code: 'url', reason });
    });
  });

  describe('redirects', () => {
    it('refuses a redirect to http://10.0.0.7/ without connecting to it', async () => {
      const site = await serve({ '/go': redirect('http://10.0.0.7/') });
      const { value, attempts } = await connectionAttempts(() => pages().fetch(`${site.origin}/go`));
      expect(value).toEqual({
        kind: 'failed',
        code: 'address',
        reason: `${site.origin}/go redirected to http://10.0.0.7/, which is a private address; not followed`,
      });
      expect(attempts).toEqual(['127.0.0.1', '127.0.0.1']); // robots.txt and /go
    });

    it('refuses a redirect to another scheme or to credentials', async () => {
      const site = await serve({
        '/ftp': redirect('ftp://kino.example/'),
        '/creds': redirect('http://u:p@kino.example/'),
      });
      expect(expectFailed(await pages().fetch(`${site.origin}/ftp`), 'url')).toBe(
        `${site.origin}/ftp redirected to ftp://kino.example/, which is not an http or https URL; not followed`,
      );
      expect(expectFailed(await pages().fetch(`${site.origin}/creds`), 'url')).toBe(
        `${site.origin}/creds redirected to http://kino.example/, which carries credentials; not followed`,
      );
    });

    const chain = (length: number): Record<string, Handler> => ({
      ...Object.fromEntries(
        Array.from({ length }, (_, i) => [`/r${i}`, redirect(`/r${i + 1}`, [301, 302, 303, 307, 308][i % 5])]),
      ),
      [`/r${length}`]: html('<p>end</p>'),
    });

    it('follows five redirects', async () => {
      const site = await serve(chain(5));
      expect(await pages().fetch(`${site.origin}/r0`)).toMatchObject({ kind: 'page', finalUrl: `${site.origin}/r5` });
    });

    it('stops at the sixth', async () => {
      const site = await serve(chain(6));
      expect(expectFailed(await pages().fetch(`${site.origin}/r0`), 'redirects')).toBe(
        `${site.origin}/r0 redirected more than 5 times; stopped at ${site.origin}/r5`,
      );
      expect(site.paths()).not.toContain('/r6');
    });

    it('follows a relative Location against the URL that sent it', async () => {
      const site = await serve({ '/old/page': redirect('../new/page?x=1', 301), '/new/page?x=1': html('<p>new</p>') });
      expect(await pages().fetch(`${site.origin}/old/page`)).toMatchObject({
        kind: 'page',
        finalUrl: `${site.origin}/new/page?x=1`,
        body: '<p>new</p>',
      });
    });
  });

  describe('size', () => {
    it('stops reading a streamed 10 MB page at 2 MB and closes the connection', async () => {
      const chunk = Buffer.alloc(256 * 1024, 'a');
      let sent = 0;
      const closed = Promise.withResolvers<number>();
      const site = await serve({
        '/big': async (_request, response) => {
          response.on('close', () => closed.resolve(sent));
          response.writeHead(200, { 'content-type': 'text/html' });
          while (sent < 10 * MB && !response.destroyed) {
            response.write(chunk);
            sent += chunk.length;
            await new Promise((wait) => setTimeout(wait, 5));
          }
          response.end();
        },
      });
      const began = performance.now();
      const result = await pages().fetch(`${site.origin}/big`);
      expect(result).toEqual({
        kind: 'failed',
        code: 'too-large',
        reason: `${site.origin}/big is larger than 2 MB; not read`,
      });
      expect(await closed.promise).toBeLessThan(4 * MB);
      expect(performance.now() - began).toBeLessThan(1_000);
    });

    it('refuses a declared 10 MB page without reading it', async () => {
      let sent = 0;
      const site = await serve({
        '/big': async (_request, response) => {
          response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(10 * MB) });
          for (let i = 0; i < 40 && !response.destroyed; i++) {
            response.write(Buffer.alloc(256 * 1024, 'a'));
            sent += 256 * 1024;
            await new Promise((wait) => setTimeout(wait, 5));
          }
          response.end();
        },
      });
      expectFailed(await pages().fetch(`${site.origin}/big`), 'too-large');
      await new Promise((wait) => setTimeout(wait, 20));
      expect(sent).toBeLessThan(2 * MB);
    });

    it('refuses a gzip bomb once its decoded size crosses the limit', async () => {
      const bomb = gzipSync(Buffer.alloc(4 * MB));
      expect(bomb.length).toBeLessThan(256 * 1024);
      const site = await serve({ '/bomb': html(bomb, { 'content-encoding': 'gzip' }) });
      expect(expectFailed(await pages({ maxBytes: 256 * 1024 }).fetch(`${site.origin}/bomb`), 'too-large')).toBe(
        `${site.origin}/bomb is larger than 256 KB; not read`,
      );
    });

    it.each([
      ['gzip', gzipSync],
      ['br', brotliCompressSync],
    ])('decodes a %s body', async (encoding, compress) => {
      const body = '<p>Сеанси</p>'.repeat(1_000);
      const site = await serve({ '/': html(compress(Buffer.from(body)), { 'content-encoding': encoding }) });
      expect(await pages().fetch(`${site.origin}/`)).toMatchObject({ kind: 'page', body });
    });
  });

  describe('conditional requests', () => {
    it('sends If-None-Match and reads a 304 as not-modified', async () => {
      const site = await serve({
        '/': (request, response) => {
          if (request.headers['if-none-match'] === '"v1"') return void response.writeHead(304, { etag: '"v1"' }).end();
          response.writeHead(200, { 'content-type': 'text/html', etag: '"v2"' }).end('<p>new</p>');
        },
      });
      expect(await pages().fetch(`${site.origin}/`, { etag: '"v1"' })).toEqual({
        kind: 'not-modified',
        finalUrl: `${site.origin}/`,
        validators: { etag: '"v1"' },
      });
      expect(site.seen[1]?.headers['if-none-match']).toBe('"v1"');
      expect(await pages().fetch(`${site.origin}/`, { etag: '"v0"' })).toMatchObject({
        kind: 'page',
        validators: { etag: '"v2"' },
      });
    });

    it('round-trips Last-Modified as If-Modified-Since', async () => {
      const stamp = 'Tue, 24 Nov 2026 08:00:00 GMT';
      const site = await serve({
        '/': (request, response) => {
          if (request.headers['if-modified-since'] === stamp) return void response.writeHead(304).end();
          response.writeHead(200, { 'content-type': 'text/html', 'last-modified': stamp }).end('<p>x</p>');
        },
      });
      const fetcher = pages();
      const first = await fetcher.fetch(`${site.origin}/`);
      expect(first).toMatchObject({ kind: 'page', validators: { lastModified: stamp } });
      const validators = first.kind === 'page' ? first.validators : {};
      expect(await fetcher.fetch(`${site.origin}/`, validators)).toEqual({
        kind: 'not-modified',
        finalUrl: `${site.origin}/`,
        validators: { lastModified: stamp },
      });
    });
  });

  describe('content', () => {
    it.each([
      ['text/html', 'html'],
      ['application/xhtml+xml', 'html'],
      ['application/json; charset=utf-8', 'json'],
      ['application/ld+json', 'json'],
      ['text/plain', 'text'],
      [undefined, 'html'],
    ])('reads %s as %s', async (type, kind) => {
      const site = await serve({
        '/': (_request, response) => {
          if (type) response.setHeader('content-type', type);
          response.end('{}');
        },
      });
      expect(await pages().fetch(`${site.origin}/`)).toMatchObject({ kind: 'page', contentType: kind, body: '{}' });
    });

    it('refuses other content types', async () => {
      const site = await serve({ '/poster': html(Buffer.alloc(10), { 'content-type': 'image/png' }) });
      expect(await pages().fetch(`${site.origin}/poster`)).toEqual({
        kind: 'failed',
        code: 'type',
        reason: `${site.origin}/poster is image/png, not HTML, JSON or text`,
      });
    });

    const ukrainian = 'Розклад сеансів: Київ';
    const cp1251 = Buffer.from([
      0xd0, 0xee, 0xe7, 0xea, 0xeb, 0xe0, 0xe4, 0x20, 0xf1, 0xe5, 0xe0, 0xed, 0xf1, 0xb3, 0xe2, 0x3a, 0x20, 0xca, 0xe8,
      0xbf, 0xe2,
    ]);

    it.each([
      ['the Content-Type header', { 'content-type': 'text/html; charset=windows-1251' }, ''],
      ['<meta charset>', { 'content-type': 'text/html' }, '<meta charset="windows-1251">'],
      [
        '<meta http-equiv>',
        { 'content-type': 'text/html' },
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
      ],
    ])('decodes windows-1251 named by %s', async (_by, headers, meta) => {
      const page = Buffer.concat([
        Buffer.from(`<html><head>${meta}</head><body>`),
        cp1251,
        Buffer.from('</body></html>'),
      ]);
      const site = await serve({ '/': html(page, headers) });
      const result = await pages().fetch(`${site.origin}/`);
      expect(result.kind === 'page' && result.body).toBe(`<html><head>${meta}</head><body>${ukrainian}</body></html>`);
    });

    it('decodes as UTF-8 when nothing names a charset', async () => {
      const site = await serve({ '/': html(Buffer.from(ukrainian), { 'content-type': 'text/html' }) });
      expect(await pages().fetch(`${site.origin}/`)).toMatchObject({ body: ukrainian });
    });

    it('reports an error status', async () => {
      const site = await serve({});
      expect(await pages().fetch(`${site.origin}/gone`)).toEqual({
        kind: 'failed',
        code: 'status',
        reason: `${site.origin}/gone answered 404 Not Found`,
      });
    });
  });

  describe('robots.txt', () => {
    const robots =
      (status: number, body = ''): Handler =>
      (_request, response) =>
        void response.writeHead(status, { 'content-type': 'text/plain' }).end(body);

    it('refuses a disallowed path without requesting it', async () => {
      const site = await serve({
        '/robots.txt': robots(200, 'User-agent: CineStream\nDisallow: /schedule\n'),
        '/schedule': html('<p>x</p>'),
      });
      expect(await pages().fetch(`${site.origin}/schedule`)).toEqual({
        kind: 'failed',
        code: 'robots',
        reason: `robots.txt of ${site.origin} disallows /schedule for CineStream`,
      });
      expect(site.paths()).toEqual(['/robots.txt']);
    });

    it('allows everything when robots.txt is a 404', async () => {
      const site = await serve({ '/schedule': html('<p>x</p>') });
      expect(await pages().fetch(`${site.origin}/schedule`)).toMatchObject({ kind: 'page' });
      expect(site.paths()).toEqual(['/robots.txt', '/schedule']);
    });

    it('refuses everything when robots.txt answers 500', async () => {
      const site = await serve({ '/robots.txt': robots(500), '/schedule': html('<p>x</p>') });
      expect(expectFailed(await pages().fetch(`${site.origin}/schedule`), 'robots')).toBe(
        `robots.txt of ${site.origin} could not be read (${site.origin}/robots.txt answered 500 Internal Server Error), ` +
          'so the site counts as disallowing everything (RFC 9309)',
      );
      expect(site.paths()).toEqual(['/robots.txt']);
    });

    it('follows a redirect of robots.txt', async () => {
      const site = await serve({
        '/robots.txt': redirect('/robots/live.txt', 301),
        '/robots/live.txt': robots(200, 'User-agent: *\nDisallow: /schedule\n'),
        '/schedule': html('<p>x</p>'),
      });
      expectFailed(await pages().fetch(`${site.origin}/schedule`), 'robots');
      expect(site.paths()).toEqual(['/robots.txt', '/robots/live.txt']);
    });

    it('refuses everything when robots.txt cannot be fetched in time', async () => {
      const site = await serve({ '/robots.txt': silent, '/schedule': html('<p>x</p>') });
      expect(expectFailed(await pages({ totalTimeoutMs: 200 }).fetch(`${site.origin}/schedule`), 'timeout')).toBe(
        `robots.txt of ${site.origin} could not be read (no answer from ${site.host} within 200 ms), ` +
          'so the site counts as disallowing everything (RFC 9309)',
      );
      expect(site.paths()).toEqual(['/robots.txt']);
    });

    it('reads robots.txt once for two pages of a site', async () => {
      const site = await serve({
        '/robots.txt': robots(200, 'User-agent: *\nDisallow:\n'),
        '/a': html('a'),
        '/b': html('b'),
      });
      const fetcher = pages();
      await Promise.all([fetcher.fetch(`${site.origin}/a`), fetcher.fetch(`${site.origin}/b`)]);
      await fetcher.fetch(`${site.origin}/a`);
      expect(site.paths().sort()).toEqual(['/a', '/a', '/b', '/robots.txt']);
    });

    it('checks the robots.txt of the origin a redirect leads to', async () => {
      const target = await serve({ '/robots.txt': robots(200, 'User-agent: *\nDisallow: /\n'), '/x': html('x') });
      const site = await serve({ '/go': redirect(`${target.origin}/x`) });
      expect(expectFailed(await pages().fetch(`${site.origin}/go`), 'robots')).toBe(
        `robots.txt of ${target.origin} disallows /x for CineStream`,
      );
      expect(target.paths()).toEqual(['/robots.txt']);
    });
  });

  describe('politeness', () => {
    /** A page that takes `ms` to answer, and the most requests the server had in flight at once. */
    function slowSite(ms: number) {
      let inFlight = 0;
      const counts = { most: 0 };
      const handler: Handler = async (_request, response) => {
        inFlight++;
        counts.most = Math.max(counts.most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, ms));
        inFlight--;
        response.writeHead(200, { 'content-type': 'text/html' }).end('<p>slow</p>');
      };
      return { handler, counts };
    }

    it('sends one request at a time to an origin', async () => {
      const { handler, counts } = slowSite(50);
      const site = await serve({ '/a': handler, '/b': handler, '/c': handler });
      const fetcher = pages();
      const results = await Promise.all(['/a', '/b', '/c'].map((path) => fetcher.fetch(`${site.origin}${path}`)));
      expect(results.map((result) => result.kind)).toEqual(['page', 'page', 'page']);
      expect(counts.most).toBe(1);
    });

    it('with concurrency 2, has two in flight', async () => {
      const { handler, counts } = slowSite(50);
      const site = await serve({ '/a': handler, '/b': handler, '/c': handler });
      const fetcher = pages({ perHostConcurrency: 2 });
      await Promise.all(['/a', '/b', '/c'].map((path) => fetcher.fetch(`${site.origin}${path}`)));
      expect(counts.most).toBe(2);
    });

    it('waits the delay between requests to an origin, robots.txt included', async () => {
      const site = await serve({ '/a': html('a'), '/b': html('b') });
      const fetcher = pages({ perHostDelayMs: 100 });
      await Promise.all([fetcher.fetch(`${site.origin}/a`), fetcher.fetch(`${site.origin}/b`)]);
      const starts = site.seen.map((s) => s.at);
      expect(starts).toHaveLength(3);
      const gaps = starts.slice(1).map((at, i) => at - (starts[i] ?? 0));
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(95);
    });
  });

  describe('failures', () => {
    it('gives up on a server that never answers within the total timeout', async () => {
      const site = await serve({ '/hang': silent });
      const began = performance.now();
      const result = await pages({ totalTimeoutMs: 200 }).fetch(`${site.origin}/hang`);
      expect(result).toEqual({ kind: 'failed', code: 'timeout', reason: `no answer from ${site.host} within 200 ms` });
      expect(performance.now() - began).toBeLessThan(1_000);
    });

    it('gives up on a body that never ends', async () => {
      const site = await serve({
        '/trickle': (_request, response) => void response.writeHead(200, { 'content-type': 'text/html' }).write('<p>'),
      });
      expect(expectFailed(await pages({ totalTimeoutMs: 200 }).fetch(`${site.origin}/trickle`), 'timeout')).toBe(
        `${site.host} did not finish sending ${site.origin}/trickle within 200 ms`,
      );
    });

    it('counts the time of every redirect against one budget', async () => {
      const slowRedirect: (to: string) => Handler = (to) => async (request, response) => {
        await new Promise((resolve) => setTimeout(resolve, 80));
        redirect(to)(request, response);
      };
      const site = await serve({ '/1': slowRedirect('/2'), '/2': slowRedirect('/3'), '/3': slowRedirect('/4') });
      expectFailed(await pages({ totalTimeoutMs: 200 }).fetch(`${site.origin}/1`), 'timeout');
      expect(site.paths()).toEqual(['/robots.txt', '/1', '/2', '/3']);
    });

    it('reports a refused connection as a network failure', async () => {
      const site = await serve({});
      const origin = site.origin;
      const server = servers.pop();
      server?.closeAllConnections();
      await new Promise((resolve) => server?.close(resolve));
      const reason = expectFailed(await pages().fetch(`${origin}/schedule`), 'network');
      expect(reason).toContain(`${origin}/robots.txt could not be fetched: connection refused (ECONNREFUSED)`);
    });

    it('fails, never throws, on an invalid URL', async () => {
      await expect(pages().fetch('::nonsense')).resolves.toMatchObject({ kind: 'failed', code: 'url' });
    });
  });
});
