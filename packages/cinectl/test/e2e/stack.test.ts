// End to end: `cinectl --root $TMP deploy-app` for two apps on a throwaway root (nginx.conf as Arch ships it), then
// a real nginx running the rendered files in front of the first app's real web workers (test/support/local-stack.ts
// stands in for systemd).
// Needs nginx (scripts/setup.sh --test); the apps' ports are two blocks found free for the run (port-blocks.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployApps, get, nginxBinary, type Stack, startStack } from '../support/local-stack.ts';
import { portBlocksFor } from '../support/port-blocks.ts';
import { makeRoot, removeRoot } from '../support/root.ts';

const block = (first: number) => Array.from({ length: 12 }, (_, i) => first + i);
const [MYAPP_FIRST = 0, SECOND_FIRST = 0] = portBlocksFor('stack');
const MYAPP_PORTS = block(MYAPP_FIRST);
const SECOND_PORTS = block(SECOND_FIRST);
/** ip_hash keys an IPv4 client by its first three octets: each client here has its own 127.0.X.0/24. */
const client = (x: number) => `127.0.${x}.1`;
const RETURNING = { cookie: 'cs_visitor=1' };
const DONATE_URL = 'https://donate.example/cinestream';

const nginx = nginxBinary();

describe.skipIf(!nginx)(
  nginx ? 'local stack' : 'local stack: SKIPPED, nginx is not installed (scripts/setup.sh --test)',
  () => {
    let root: string;
    let stack: Stack;

    beforeAll(async () => {
      root = makeRoot();
      await deployApps(root, ['myapp', 'second'], [MYAPP_FIRST, SECOND_FIRST]);
      // The operator's own settings, which deploys never touch, reach every worker.
      writeFileSync(join(root, 'var/www/myapp/site.env'), `DONATE_URL=${DONATE_URL}\n`, { mode: 0o600 });
      stack = await startStack({ root, apps: ['myapp'] });
    }, 600_000);

    afterAll(async () => {
      await stack?.stop();
      if (root) removeRoot(root);
    });

    const workerPort = async (localAddress: string, path = '/myapp/healthz') => {
      const res = await get(stack.url(path), { localAddress });
      expect(res.status).toBe(200);
      return (JSON.parse(res.body) as { port: number }).port;
    };

    it('the app answers at /myapp/, and / redirects there', async () => {
      const home = await get(stack.url('/myapp/uk/'));
      expect(home.status).toBe(200);
      expect(home.body).toContain('<html lang="uk"');
      expect(home.body).toContain(`href="${DONATE_URL}"`);
      const bare = await get(stack.url('/'));
      expect(bare.status).toBe(302);
      expect(bare.headers.location).toBe('/myapp/');
      expect(MYAPP_PORTS).toContain(await workerPort(client(1)));
    });

    it("the second app's block is in its registry entry and in nginx's upstream", () => {
      const config = JSON.parse(readFileSync(join(root, 'var/www/second/.deploy_config'), 'utf8')) as {
        ports: number[];
      };
      expect(config.ports).toEqual(SECOND_PORTS);
      const upstream = readFileSync(join(root, 'etc/nginx/cinectl/app-second.conf'), 'utf8');
      expect([...upstream.matchAll(/server 127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]))).toEqual(
        SECOND_PORTS,
      );
      expect(stack.apps.map((app) => [app.name, app.ports[0], app.ports.at(-1)])).toEqual([
        ['myapp', MYAPP_FIRST, MYAPP_FIRST + 11],
        ['second', SECOND_FIRST, SECOND_FIRST + 11],
      ]);
    });

    it('the microcache serves returning visitors per language and never mixes languages', async () => {
      const path = (lang: string) => `/myapp/${lang}/city/kyiv`;
      for (const lang of ['uk', 'en', 'ru']) await get(stack.url(path(lang)), { headers: RETURNING });
      for (const lang of ['uk', 'en', 'ru', 'en', 'uk', 'ru']) {
        const res = await get(stack.url(path(lang)), { headers: RETURNING });
        expect(res.status).toBe(200);
        expect(res.body).toContain(`<html lang="${lang}"`);
        expect(['HIT', 'STALE', 'UPDATING']).toContain(res.headers['x-cache']);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('a first visit is never served from the cache: the app counts it and sets its cookie', async () => {
      const first = await get(stack.url('/myapp/uk/city/kyiv'));
      expect(first.headers['x-cache']).toBe('BYPASS');
      expect(String(first.headers['set-cookie'])).toMatch(/^cs_visitor=1;/);
    });

    it('a visitor on another city than the one remembered gets past the cache, so the app remembers it', async () => {
      const cookiesOf = (res: { headers: Record<string, string | string[] | undefined> }) =>
        ([res.headers['set-cookie'] ?? []].flat() as string[]).map((line) => line.split(';')[0]).join('; ');
      const first = await get(stack.url('/myapp/en/city/kyiv'));
      const cookie = cookiesOf(first);
      expect(cookie).toMatch(/cs_city=s%3Akyiv\./);
      for (let i = 0; i < 2; i++) await get(stack.url('/myapp/en/city/lviv'), { headers: RETURNING });
      const moved = await get(stack.url('/myapp/en/city/lviv'), { headers: { cookie } });
      expect(moved.headers['x-cache']).toBe('BYPASS');
      expect(cookiesOf(moved)).toMatch(/^cs_city=s%3Alviv\./);
      const back = await get(stack.url('/myapp/en/city/lviv'), {
        headers: { cookie: `${cookiesOf(moved)}; cs_visitor=1` },
      });
      expect(back.headers['x-cache']).not.toBe('BYPASS');
      expect(back.headers['set-cookie']).toBeUndefined();
    });

    it("bare /myapp/ follows each visitor's cookie or Accept-Language: one visitor's redirect never reaches another", async () => {
      const saved = await get(stack.url('/myapp/lang/ru'));
      const langCookie = String(saved.headers['set-cookie']).split(';')[0] ?? '';
      expect(langCookie).toMatch(/^cs_lang=/);
      const visitors = [
        { headers: { 'accept-language': 'en', ...RETURNING }, lang: 'en' },
        { headers: { 'accept-language': 'uk', ...RETURNING }, lang: 'uk' },
        { headers: { 'accept-language': 'en', cookie: `cs_visitor=1; ${langCookie}` }, lang: 'ru' },
      ];
      for (let round = 0; round < 3; round++) {
        for (const visitor of visitors) {
          const res = await get(stack.url('/myapp/'), { headers: visitor.headers });
          expect(res.status).toBe(302);
          expect(res.headers.location).toBe(`/myapp/${visitor.lang}/`);
          expect(res.headers['x-cache']).toBe('BYPASS');
        }
      }
    });

    it('the same client IP always reaches the same worker, and clients spread over the workers', async () => {
      const workerOf = new Map<string, number>();
      for (let x = 1; x <= 36; x++) {
        const ports = new Set<number>();
        for (let i = 0; i < 5; i++) ports.add(await workerPort(client(x)));
        expect(ports.size, `client ${client(x)} reached ${[...ports].join(', ')}`).toBe(1);
        workerOf.set(client(x), [...ports][0] ?? 0);
      }
      expect(new Set(workerOf.values()).size).toBeGreaterThanOrEqual(6);
      // nginx's ip_hash: addresses in one /24 share their worker
      expect(await workerPort('127.0.5.77')).toBe(workerOf.get(client(5)));
    });

    it('killing one worker under load loses at most 0.1% of requests, and its clients move to another worker', {
      timeout: 90_000,
    }, async () => {
      const clients = Array.from({ length: 24 }, (_, i) => ({
        address: client(100 + i),
        agent: new Agent({ keepAlive: true, maxSockets: 1, localAddress: client(100 + i) }),
        answers: [] as { at: number; port: number }[],
        failures: [] as string[],
      }));
      const ask = (agent: Agent) =>
        new Promise<number>((done, fail) => {
          const req = request(stack.url('/myapp/healthz'), { agent, timeout: 5_000 }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              if (res.statusCode !== 200) fail(new Error(`HTTP ${res.statusCode}`));
              else done((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { port: number }).port);
            });
          });
          req.on('timeout', () => req.destroy(new Error('timeout')));
          req.on('error', fail);
          req.end();
        });
      const before = new Map<string, number>();
      for (const c of clients) before.set(c.address, await ask(c.agent));
      const victim = before.get(client(100)) ?? 0;
      const victimClients = clients.filter((c) => before.get(c.address) === victim);

      let running = true;
      const load = clients.map(async (c) => {
        while (running) {
          try {
            c.answers.push({ at: Date.now(), port: await ask(c.agent) });
          } catch (error) {
            c.failures.push(String(error));
          }
        }
      });
      // Enough requests on both sides of the kill for 0.1% to mean something, however busy the machine is.
      const answered = () => clients.reduce((sum, c) => sum + c.answers.length + c.failures.length, 0);
      const untilAnswered = async (count: number, minimumMs: number) => {
        const start = Date.now();
        while ((answered() < count || Date.now() - start < minimumMs) && Date.now() - start < 20_000) await sleep(100);
      };
      await untilAnswered(500, 1_500);
      await stack.kill(victim);
      const killedAt = Date.now();
      await untilAnswered(answered() + 1_000, 2_500);
      running = false;
      await Promise.all(load);
      for (const c of clients) c.agent.destroy();

      const total = answered();
      const failures = clients.flatMap((c) => c.failures);
      expect(total).toBeGreaterThan(1_000);
      expect(failures.length / total, failures.slice(0, 5).join('; ')).toBeLessThanOrEqual(0.001);
      for (const c of clients) {
        const after = new Set(c.answers.filter((answer) => answer.at > killedAt).map((answer) => answer.port));
        if (victimClients.includes(c)) {
          expect(after.has(victim)).toBe(false);
          expect(after.size, `${c.address} moved to ${[...after].join(', ')}`).toBe(1);
        } else {
          expect([...after], `${c.address} kept its worker`).toEqual([before.get(c.address)]);
        }
      }
      await stack.restart(victim);
    });
  },
);
