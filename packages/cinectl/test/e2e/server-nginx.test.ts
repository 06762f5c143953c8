// init-server's nginx.conf with cinectl's files, run by a real nginx: the apps answer on localhost and on IP
// addresses, any other host name gets no answer at all. Only the ports (free loopback ones instead of 80/443),
// the pid file, the logs and the microcache move into a scratch directory.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get as httpGet, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'node:tls';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nginxHost } from '../../src/commands/nginx-facts.ts';
import { serverNginxConf } from '../../src/plan/init-server.ts';
import { nginxFiles } from '../../src/plan/nginx.ts';
import { freePort, get, LOOPBACK, nginxBinary } from '../support/local-stack.ts';

const nginx = nginxBinary();
const PAGE = Buffer.from(`<!doctype html><title>x</title>${'<p>Сеанс о 20:40</p>'.repeat(200)}`);
const APP = 'cinestream';
/** This machine's IPv6 and HTTP/2 facts, as cinectl reads them for the host it runs on. */
const machine = nginxHost('/');

describe.skipIf(!nginx)(
  nginx ? "init-server's nginx.conf in a real nginx" : "init-server's nginx.conf: SKIPPED, nginx is not installed",
  () => {
    let dir: string;
    let app: Server;
    let server: ChildProcess;
    let http: number;
    let https: number;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cinectl-server-nginx-'));
      mkdirSync(join(dir, 'logs'));
      [http, https] = [await freePort(), await freePort()];
      const appPort = await freePort();
      // Stands in for the app's worker: says which path reached it; under /compressed/ it answers as the site
      // does, with a page it compressed itself, and under /plain/ with one it did not.
      app = createServer((req, res) => {
        if (req.url?.includes('/compressed/')) {
          res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'br', vary: 'Accept-Encoding' });
          res.end(brotliCompressSync(PAGE));
        } else if (req.url?.includes('/plain/')) {
          res.writeHead(200, { 'content-type': req.url.endsWith('.json') ? 'application/json' : 'text/html' });
          res.end(PAGE);
        } else res.end(`app ${req.url}`);
      });
      await new Promise<void>((done) => app.listen(appPort, LOOPBACK, done));

      const onLoopback = (text: string) =>
        text
          .replace(/^(\s*)listen 80( |;)/gm, `$1listen ${LOOPBACK}:${http}$2`)
          .replace(/^(\s*)listen 443 ssl( |;)/gm, `$1listen ${LOOPBACK}:${https} ssl$2`)
          .replace(/^(\s*)listen \[::\]:80( |;)/gm, `$1listen [::1]:${http}$2`)
          .replace(/^(\s*)listen \[::\]:443 ssl( |;)/gm, `$1listen [::1]:${https} ssl$2`);
      writeFileSync(join(dir, 'nginx.conf'), onLoopback(serverNginxConf(machine)));
      writeFileSync(join(dir, 'mime.types'), 'types { text/html html; }\n');
      const files = nginxFiles([{ name: APP, ports: [appPort] }], { ...machine, cacheDir: join(dir, 'cache') });
      for (const [path, content] of files) {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), onLoopback(content));
      }
      const global = `pid ${dir}/nginx.pid; error_log ${dir}/logs/error.log; daemon off;`;
      server = spawn(nginx ?? 'nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', global], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      for (;;) {
        const up = await get(`http://${LOOPBACK}:${http}/${APP}/`, { headers: { host: 'localhost' } }).catch(
          () => null,
        );
        if (up) break;
        if (Date.now() > deadline) throw new Error('nginx did not start');
        await sleep(100);
      }
    }, 30_000);

    afterAll(async () => {
      if (server && server.exitCode === null) {
        // nginx writes into the directory until it has exited: only then can it be removed for good.
        const exited = new Promise((done) => server.once('exit', done));
        server.kill('SIGQUIT');
        await Promise.race([exited, sleep(5_000).then(() => server.kill('SIGKILL'))]);
        await exited;
      }
      await new Promise<void>((done) => app?.close(() => done()));
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const ask = (name: string, path = `/${APP}/uk/`, address = LOOPBACK) =>
      get(`http://${address}:${http}${path}`, { headers: { host: name } });

    it('gzips what the app sends uncompressed and passes what it compressed through untouched', async () => {
      const raw = (path: string, encoding: string) =>
        new Promise<{ headers: Record<string, unknown>; body: Buffer }>((done, fail) => {
          const url = `http://${LOOPBACK}:${http}/${APP}${path}`;
          httpGet(url, { headers: { host: 'localhost', 'accept-encoding': encoding }, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => done({ headers: res.headers, body: Buffer.concat(chunks) }));
          }).on('error', fail);
        });
      for (const path of ['/plain/page', '/plain/cities.json']) {
        const gzipped = await raw(path, 'gzip, deflate, br');
        expect([path, gzipped.headers['content-encoding']]).toEqual([path, 'gzip']);
        expect(gunzipSync(gzipped.body)).toEqual(PAGE);
        expect((await raw(path, 'identity')).body).toEqual(PAGE);
      }
      const passed = await raw('/compressed/page', 'gzip, deflate, br');
      expect(passed.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(passed.body)).toEqual(PAGE);
    });

    it('serves the apps to localhost and to any IP address used as the host name', async () => {
      for (const host of ['localhost', '127.0.0.1', '203.0.113.7', '[2001:db8::1]']) {
        const answer = await ask(host);
        expect(answer.status, host).toBe(200);
        expect(answer.body, host).toBe(`app /${APP}/uk/`);
      }
      expect((await ask('203.0.113.7', '/')).headers.location).toBe(`/${APP}/`);
    });

    it.skipIf(!machine.ipv6)('listens on IPv6 too, with the same answers', async () => {
      expect((await ask('localhost', `/${APP}/uk/`, '[::1]')).body).toBe(`app /${APP}/uk/`);
      expect((await ask('[2001:db8::1]', `/${APP}/uk/`, '[::1]')).status).toBe(200);
      await expect(ask('films.example.com', `/${APP}/uk/`, '[::1]')).rejects.toThrow(/socket hang up|ECONNRESET/);
    });

    it('answers nothing at all to a host name no site claims (444 closes the connection)', async () => {
      for (const host of ['films.example.com', 'localhost.evil.example', '1.2.3.4.example']) {
        await expect(ask(host), host).rejects.toThrow(/socket hang up|ECONNRESET/);
      }
    });

    it('refuses the TLS handshake for unknown names instead of showing a certificate', async () => {
      const outcome = await new Promise<string>((done) => {
        const socket = connect({
          host: LOOPBACK,
          port: https,
          servername: 'films.example.com',
          rejectUnauthorized: false,
        });
        socket.once('secureConnect', () => {
          done(`handshake completed with ${JSON.stringify(socket.getPeerCertificate().subject)}`);
          socket.destroy();
        });
        socket.once('error', (error) => done(`refused: ${error.message}`));
      });
      expect(outcome).toMatch(/^refused: .*(alert|handshake)/i);
    });
  },
);
