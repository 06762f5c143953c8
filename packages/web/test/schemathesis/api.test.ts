// schemathesis, a property-based API tester we did not write, against a running site and its docs/openapi.yaml:
// no 5xx, every response as the description says, and no request answered with a 4xx spends a Gemini call.
// Bounded: a fixed number of examples per operation, a fixed seed, one worker, loopback only.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { schemathesis } from '../support/checkers.ts';
import { fakeCity } from '../support/fake-city.ts';
import { type FakeGemini, startFakeGemini } from '../support/fake-gemini.ts';
import { startScrapeApp } from '../support/scrape-app.ts';

const checker = schemathesis();
const EXAMPLES = 10;
const SEED = 16;
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
];

/** One request as it passed the proxy, with the Gemini calls made while it and the fetch it started ran. */
interface Exchange {
  method: string;
  url: string;
  status: number;
  /** The answer's Content-Encoding, `identity` when sent as it is. */
  encoding: string;
  geminiCalls: number;
}

/** Each request in turn offers one of these, so compressed and plain answers are all checked against the schema. */
const ACCEPT_ENCODINGS = ['br', 'gzip', 'identity'];

/**
 * A loopback proxy in front of the site that lets one request through at a time and, after each, waits for
 * any fetch it started to finish: so each Gemini call is put down to the request that caused it. It offers
 * the encodings of ACCEPT_ENCODINGS in turn.
 */
async function startCountingProxy(app: TestApp, fake: FakeGemini, exchanges: Exchange[]): Promise<Server> {
  const target = new URL(app.url);
  let queue = Promise.resolve();
  let sent = 0;
  const server = createServer((req, res) => {
    queue = queue.then(
      () =>
        new Promise<void>((done) => {
          const before = fake.requests.length;
          const headers = { ...req.headers, 'accept-encoding': ACCEPT_ENCODINGS[sent++ % ACCEPT_ENCODINGS.length] };
          const upstream = request(
            { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
            (answer) => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
              answer.on('end', async () => {
                await app.showtimes.idle();
                const status = answer.statusCode ?? 0;
                exchanges.push({
                  method: req.method ?? '',
                  url: req.url ?? '',
                  status,
                  encoding: String(answer.headers['content-encoding'] ?? 'identity'),
                  geminiCalls: fake.requests.length - before,
                });
                done();
              });
            },
          );
          upstream.on('error', () => {
            res.writeHead(502).end();
            done();
          });
          req.pipe(upstream);
        }),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

describe.skipIf(checker.skip)(checker.skip ? `schemathesis: SKIPPED, ${checker.skip}` : 'schemathesis', () => {
  let fake: FakeGemini;
  let app: TestApp;
  let proxy: Server;
  const exchanges: Exchange[] = [];
  let run: { code: number; stdout: string };
  let workDir: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'cinestream-schemathesis-'));
    const city = fakeCity({ theaters: 2, movies: 2 });
    fake = await startFakeGemini({ answer: city.answer });
    app = await startScrapeApp({ fake, clock: () => new Date() });
    proxy = await startCountingProxy(app, fake, exchanges);
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const args = ['run', `${url}/api/openapi.yaml`, '--url', url, '--checks', CHECKS.join(',')];
    args.push('--max-examples', String(EXAMPLES), '--seed', String(SEED), '--workers', '1');
    args.push(
      '--phases',
      'examples,coverage,fuzzing',
      '--max-redirects',
      '0',
      '--no-color',
      '--suppress-health-check',
      'all',
    );
    run = await promisify(execFile)(checker.path, args, {
      // schemathesis keeps a cache of what it found in its working directory: one of the test's own.
      cwd: workDir,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      (ok) => ({ code: 0, stdout: ok.stdout }),
      (failed: { code: number; stdout: string; stderr: string }) => ({
        code: failed.code,
        stdout: `${failed.stdout}\n${failed.stderr}`,
      }),
    );
  }, 150_000);

  afterAll(async () => {
    await new Promise((done) => proxy?.close(done));
    await app?.close();
    await fake?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('finds no server error and no response that differs from docs/openapi.yaml', () => {
    expect(exchanges.length).toBeGreaterThan(50);
    expect(run.code, run.stdout).toBe(0);
  });

  it('checked answers sent brotli-compressed, gzip-compressed and plain', () => {
    const answered = exchanges.filter((exchange) => exchange.status === 200);
    for (const encoding of ACCEPT_ENCODINGS) {
      expect(answered.filter((exchange) => exchange.encoding === encoding).length, encoding).toBeGreaterThan(10);
    }
  });

  it('spends no Gemini call on a request it answers with a 4xx', () => {
    const refused = exchanges.filter((exchange) => exchange.status >= 400 && exchange.status < 500);
    expect(refused.length).toBeGreaterThan(10);
    expect(refused.filter((exchange) => exchange.geminiCalls > 0)).toEqual([]);
    // The counter is real: the city that was asked about was fetched, by a request that was answered.
    expect(exchanges.some((exchange) => exchange.status < 400 && exchange.geminiCalls > 0)).toBe(true);
  });
});
