// End to end: set-domain and install-ssl against a real ACME CA on loopback. pebble issues the certificate,
// pebble-challtestsrv is the DNS both pebble and cinectl ask (the throwaway root's /etc/resolv.conf names it),
// certbot runs for real with the root's own directories, and a real nginx runs the root's nginx.conf as cinectl
// left it, on ports 80 and 443, in front of the app's real workers (test/support/local-stack.ts stands in for
// systemd). Under --root cinectl cannot reload nginx itself: the test does what `systemctl reload nginx` would.
// Needs nginx, pebble, pebble-challtestsrv, certbot, openssl and testssl (scripts/setup.sh --test), root, and
// ports 80, 443, 53, 14000, 15000 and 8055 free (it skips and says so when one is taken); its workers get a port
// block found free for the run (port-blocks.ts).
import { X509Certificate } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cinectl } from '../support/cli.ts';
import { get, nginxBinary, type Stack, startStack } from '../support/local-stack.ts';
import { type AcmeCa, busyPorts, startAcmeCa } from '../support/pebble.ts';
import { portBlocksFor } from '../support/port-blocks.ts';
import { makeRoot, removeRoot, treeHash } from '../support/root.ts';
import { which } from '../support/tools.ts';

const REPO = join(import.meta.dirname, '../../../..');
const DOMAIN = 'movies.test';
const APP = 'movies';
const LOOPBACK = '127.0.0.1';

async function unmetNeeds(): Promise<string | undefined> {
  const tools = ['pebble', 'pebble-challtestsrv', 'certbot', 'openssl', 'testssl'];
  const missing = [...(nginxBinary() ? [] : ['nginx']), ...tools.filter((tool) => !which(tool))];
  if (missing.length > 0) return `${missing.join(', ')} not installed (scripts/setup.sh --test)`;
  if (process.getuid?.() !== 0) return 'needs root (ports 80, 443 and 53)';
  const busy = await busyPorts();
  if (busy.length > 0) return `ports ${busy.join(', ')} on 127.0.0.1 are taken by another program`;
  return undefined;
}
const skipped = await unmetNeeds();

/** One line of testssl's JSON report. */
interface Finding {
  id: string;
  severity: string;
  finding: string;
}

interface TlsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Header name (lowercase) → every value sent under it, to see that none is doubled. */
  raw: Map<string, string[]>;
  body: string;
  certificate: X509Certificate;
}

/** GET https://movies.test/… at 127.0.0.1:443 (SNI and Host movies.test), trusting only `ca` when given. */
function httpsGet(path: string, ca?: string, headers: Record<string, string> = {}): Promise<TlsAnswer> {
  return new Promise((done, fail) => {
    const req = request(
      {
        host: LOOPBACK,
        port: 443,
        path,
        servername: DOMAIN,
        headers: { host: DOMAIN, ...headers },
        agent: false,
        timeout: 5_000,
        ...(ca ? { ca } : { rejectUnauthorized: false }),
      },
      (res) => {
        const certificate = new X509Certificate((res.socket as import('node:tls').TLSSocket).getPeerCertificate().raw);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        const raw = new Map<string, string[]>();
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = (res.rawHeaders[i] ?? '').toLowerCase();
          raw.set(name, [...(raw.get(name) ?? []), res.rawHeaders[i + 1] ?? '']);
        }
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            raw,
            body: Buffer.concat(chunks).toString(),
            certificate,
          }),
        );
        res.on('error', fail);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`https://${DOMAIN}${path}: no answer in time`)));
    req.on('error', fail);
    req.end();
  });
}

const httpGet = (path: string, host = DOMAIN) => get(`http://${LOOPBACK}${path}`, { headers: { host } });

/** What cinectl's own steps could change: configuration and the app registry (not logs, caches or app data). */
const configHash = (root: string) => `${treeHash(join(root, 'etc'))}:${treeHash(join(root, 'var/www'))}`;

async function until<T>(what: string, attempt: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(200);
  }
}

describe.skipIf(skipped !== undefined)(
  skipped
    ? `set-domain and install-ssl against pebble: SKIPPED, ${skipped}`
    : 'set-domain and install-ssl against pebble',
  () => {
    let root: string;
    let ca: AcmeCa;
    let stack: Stack;
    let pebbleRoot: string;
    const caBundle = process.env.REQUESTS_CA_BUNDLE;
    const at = (path: string) => join(root, path);
    const run = (args: string[]) => cinectl(['--root', root, ...args], { timeoutMs: 300_000 });

    beforeAll(async () => {
      root = makeRoot();
      // nginx's workers drop root privileges: they must reach the webroot and the cache inside the tree.
      chmodSync(root, 0o755);
      writeFileSync(at('etc/resolv.conf'), `nameserver ${LOOPBACK}\n`);
      // The tree has certbot installed (install-ssl's pacman step sees it); it is this machine's certbot.
      mkdirSync(at('usr/bin'), { recursive: true });
      symlinkSync('/usr/bin/certbot', at('usr/bin/certbot'));
      ca = await startAcmeCa();
      await ca.setA(DOMAIN, [LOOPBACK]);
      pebbleRoot = await ca.root();
      process.env.REQUESTS_CA_BUNDLE = ca.httpsCa;
      const ports = String(portBlocksFor('ssl')[0]);
      const deployed = await run(['deploy-app', APP, '--workers', '2', '--ports', ports, '--source', REPO]);
      expect(deployed.exitCode, deployed.stderr).toBe(0);
      stack = await startStack({ root, nginxConf: 'root', nginxWorkers: 1 });
    }, 300_000);

    afterAll(async () => {
      await stack?.stop();
      await ca?.stop();
      if (caBundle === undefined) delete process.env.REQUESTS_CA_BUNDLE;
      else process.env.REQUESTS_CA_BUNDLE = caBundle;
      if (root) removeRoot(root);
    });

    it('set-domain serves the app at / on the domain over HTTP, and over HTTPS with a placeholder', async () => {
      const result = await run(['set-domain', DOMAIN]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toContain(
        `Next: point DNS for ${DOMAIN} at this server, then run cinectl install-ssl ${DOMAIN}`,
      );
      expect(JSON.parse(readFileSync(at(`var/www/${APP}/.deploy_config`), 'utf8')).domain).toBe(DOMAIN);
      expect(readFileSync(at(`etc/cinectl/tls/${DOMAIN}/privkey.pem`)).length).toBeGreaterThan(0);
      await stack.reloadNginx();

      const home = await httpGet('/');
      expect(home.status).toBe(302);
      expect(home.headers.location).toMatch(/^\/(uk|en|ru)\/$/);
      const page = await httpGet(String(home.headers.location));
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html lang=');

      const placeholder = await httpsGet(String(home.headers.location));
      expect(placeholder.status).toBe(200);
      expect(placeholder.certificate.subject).toBe(`CN=${DOMAIN}`);
      expect(placeholder.certificate.issuer).toBe(placeholder.certificate.subject);
      expect(placeholder.headers['strict-transport-security']).toBe('max-age=0');
      // At the domain's root the URI reaches the app as sent: the query string once, its escapes intact.
      const search = await httpGet('/uk/city/kyiv/search?q=%D0%B4%D1%8E%D0%BD%D0%B0%20%2F..%2F');
      expect(search.status).toBe(200);
      expect(search.body).toContain('value="дюна /../"');
      expect((await httpGet(`/${APP}/uk/`, 'localhost')).status).toBe(200);
    });

    it('install-ssl stops before asking the CA when DNS points elsewhere', async () => {
      await ca.setA(DOMAIN, ['10.9.9.9']);
      try {
        const before = configHash(root);
        const requests = ca.log().split('\n').length;
        const result = await run(['install-ssl', DOMAIN, '--server', ca.directory]);
        expect(result.exitCode).toBe(1);
        const lines = result.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(
          new RegExp(
            `^cinectl: DNS says ${DOMAIN} is at 10\\.9\\.9\\.9, but 10\\.9\\.9\\.9 is not this server's; it should say \\S`,
          ),
        );
        expect(configHash(root)).toBe(before);
        expect(existsSync(at('etc/letsencrypt'))).toBe(false);
        expect(existsSync(at('var/log/letsencrypt'))).toBe(false);
        expect(ca.log().split('\n').length).toBe(requests);
      } finally {
        await ca.setA(DOMAIN, [LOOPBACK]);
      }
    });

    it("install-ssl gets pebble's certificate: HTTPS serves the app, HTTP answers 308, localhost still works", {
      timeout: 120_000,
    }, async () => {
      const result = await run(['install-ssl', DOMAIN, '--server', ca.directory, '--email', `ops@${DOMAIN}`]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Install a certificate for movies\.test: [1-9]\d* changed/);
      const hook = readFileSync(at('etc/letsencrypt/renewal-hooks/deploy/cinectl-reload-nginx'), 'utf8');
      expect(hook).toContain(`exec nginx -s reload -c ${root}/etc/nginx/nginx.conf\n`);
      expect(readlinkSync(at('etc/systemd/system/timers.target.wants/certbot-renew.timer'))).toBe(
        '/etc/systemd/system/certbot-renew.timer',
      );
      await stack.reloadNginx();

      const page = await httpsGet('/uk/', pebbleRoot);
      expect(page.certificate.issuer).toMatch(/^CN=Pebble Intermediate CA /);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html lang="uk"');
      expect(page.certificate.subjectAltName).toBe(`DNS:${DOMAIN}`);
      // HSTS comes from nginx; the site's own security headers pass through once each, also from the microcache.
      const returning = { cookie: 'cs_visitor=1' };
      await httpsGet('/uk/', pebbleRoot, returning);
      const cached = await httpsGet('/uk/', pebbleRoot, returning);
      expect(cached.headers['x-cache']).toBe('HIT');
      for (const answer of [page, cached]) {
        expect(answer.raw.get('strict-transport-security')).toEqual(['max-age=63072000; includeSubDomains']);
        expect(answer.raw.get('x-frame-options')).toEqual(['SAMEORIGIN']);
        expect(answer.raw.get('x-content-type-options')).toEqual(['nosniff']);
        expect(answer.raw.get('referrer-policy')).toEqual(['no-referrer']);
        expect(answer.raw.get('content-security-policy')?.[0]).toContain("frame-ancestors 'none'");
      }

      const plain = await httpGet('/uk/city/kyiv?date=2025-03-14');
      expect(plain.status).toBe(308);
      expect(plain.headers.location).toBe(`https://${DOMAIN}/uk/city/kyiv?date=2025-03-14`);
      expect((await httpGet('/.well-known/acme-challenge/missing')).status).toBe(404);
      expect((await httpGet(`/${APP}/uk/`, 'localhost')).status).toBe(200);
    });

    it('install-ssl again, and a redeploy of the app, change nothing', { timeout: 120_000 }, async () => {
      const again = await run(['install-ssl', DOMAIN, '--server', ca.directory]);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/Install a certificate for movies\.test: 0 changed, \d+ unchanged/);
      const nginxFiles = treeHash(at('etc/nginx'));
      const redeployed = await run(['deploy-app', APP, '--source', REPO]);
      expect(redeployed.exitCode, redeployed.stderr).toBe(0);
      expect(treeHash(at('etc/nginx'))).toBe(nginxFiles);
      const status = await run(['status']);
      expect(status.stdout).toMatch(/movies {2}https:\/\/movies\.test\/ {2}ports/);
      expect(status.stdout).toMatch(/ {2}domain movies\.test, certificate expires in \d+ days \(\d{4}-\d\d-\d\d\)\n/);
    });

    it('certbot renew (forced) runs the deploy hook: nginx reloads and serves the new certificate', {
      timeout: 120_000,
    }, async () => {
      const before = (await httpsGet('/healthz', pebbleRoot)).certificate.serialNumber;
      await execa(
        'certbot',
        [
          'renew',
          '--force-renewal',
          '--no-random-sleep-on-renew',
          '--config-dir',
          at('etc/letsencrypt'),
          '--work-dir',
          at('var/lib/letsencrypt'),
          '--logs-dir',
          at('var/log/letsencrypt'),
        ],
        { env: { REQUESTS_CA_BUNDLE: ca.httpsCa }, timeout: 90_000 },
      );
      const renewed = new X509Certificate(readFileSync(at(`etc/letsencrypt/live/${DOMAIN}/cert.pem`))).serialNumber;
      expect(renewed).not.toBe(before);
      const served = await until('the renewed certificate served', async () => {
        const serial = (await httpsGet('/healthz', pebbleRoot)).certificate.serialNumber;
        return serial === renewed ? serial : undefined;
      });
      expect(served).toBe(renewed);
    });

    it('testssl finds no protocol, cipher or vulnerability rated worse than OK', { timeout: 180_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cinectl-testssl-'));
      try {
        const rootFile = join(dir, 'pebble-root.pem');
        writeFileSync(rootFile, pebbleRoot);
        const report = join(dir, 'testssl.json');
        await execa(
          'testssl',
          [
            '--quiet',
            '--color',
            '0',
            '--warnings',
            'off',
            '--jsonfile-pretty',
            report,
            '--add-ca',
            rootFile,
            '--ip',
            LOOPBACK,
            '--protocols',
            '--std',
            '--vulnerable',
            `${DOMAIN}:443`,
          ],
          { reject: false, timeout: 170_000 },
        );
        const scan = JSON.parse(readFileSync(report, 'utf8')) as { scanResult: Record<string, unknown>[] };
        const section = (name: string): Finding[] =>
          scan.scanResult.flatMap((target) => (Array.isArray(target[name]) ? (target[name] as Finding[]) : []));
        for (const name of ['protocols', 'ciphers', 'vulnerabilities']) {
          const findings = section(name);
          expect(findings.length, name).toBeGreaterThan(0);
          const worse = findings.filter((finding) => !['OK', 'INFO'].includes(finding.severity));
          expect(
            worse.map((finding) => `${finding.id} ${finding.severity}: ${finding.finding}`),
            name,
          ).toEqual([]);
        }
        const protocols = new Map(section('protocols').map((finding) => [finding.id, finding.finding]));
        expect(protocols.get('TLS1_2')).toBe('offered');
        expect(protocols.get('TLS1_3')).toMatch(/^offered/);
        for (const old of ['SSLv2', 'SSLv3', 'TLS1', 'TLS1_1']) expect(protocols.get(old), old).toBe('not offered');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
