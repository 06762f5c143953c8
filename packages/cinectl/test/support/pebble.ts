// A real ACME CA on loopback: pebble (Let's Encrypt's test CA) with pebble-challtestsrv as the DNS server both pebble
// and cinectl ask (a throwaway root's /etc/resolv.conf names 127.0.0.1). Both come from Debian's packages.
//
// pebble serves its ACME API over HTTPS with a certificate made here by openssl (Debian ships no test certificates):
// a throwaway CA and a leaf for 127.0.0.1. certbot trusts it through REQUESTS_CA_BUNDLE. The certificates pebble
// issues chain up to its own root, generated at start and fetched from its management API (/roots/0).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ACME_PORT = 14000;
export const PEBBLE_MANAGEMENT_PORT = 15000;
export const DNS_PORT = 53;
export const CHALLTESTSRV_MANAGEMENT_PORT = 8055;
/** pebble validates http-01 on the standard port: nginx serves the webroot there. */
export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;
const LOOPBACK = '127.0.0.1';

/** Whether a TCP port can be bound on the address (nothing else holds it). */
export function portFree(port: number, host = LOOPBACK): Promise<boolean> {
  const server = createServer();
  return new Promise((done) => {
    server.once('error', () => done(false));
    server.listen(port, host, () => server.close(() => done(true)));
  });
}

/** The ports the end-to-end TLS test needs, with those that are taken. */
export async function busyPorts(): Promise<number[]> {
  const wanted: [number, string][] = [
    [HTTP_PORT, '0.0.0.0'],
    [HTTPS_PORT, '0.0.0.0'],
    [DNS_PORT, LOOPBACK],
    [ACME_PORT, LOOPBACK],
    [PEBBLE_MANAGEMENT_PORT, LOOPBACK],
    [CHALLTESTSRV_MANAGEMENT_PORT, LOOPBACK],
  ];
  const busy: number[] = [];
  for (const [port, host] of wanted) if (!(await portFree(port, host))) busy.push(port);
  return busy;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A throwaway CA and a certificate for 127.0.0.1 signed by it, for pebble's own HTTPS. */
function makeServingCertificate(dir: string): { ca: string; certificate: string; key: string } {
  const ca = join(dir, 'https-ca.pem');
  const caKey = join(dir, 'https-ca.key');
  const key = join(dir, 'https.key');
  const csr = join(dir, 'https.csr');
  const certificate = join(dir, 'https.pem');
  const ext = join(dir, 'https.ext');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-days', '2', '-subj', '/CN=cinectl test ACME CA', '-keyout', caKey, '-out', ca]);
  openssl(['req', ...ec, '-subj', '/CN=localhost', '-keyout', key, '-out', csr]);
  writeFileSync(
    ext,
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n',
  );
  openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    ext,
    '-out',
    certificate,
  ]);
  return { ca, certificate, key };
}

function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = request(url, { ca, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer in time`)));
    req.on('error', fail);
    req.end();
  });
}

async function postJson(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
}

export interface AcmeCa {
  /** The ACME directory URL for certbot's --server. */
  directory: string;
  /** The CA file that makes pebble's HTTPS trusted (REQUESTS_CA_BUNDLE for certbot). */
  httpsCa: string;
  /** The root that pebble's certificates chain up to, as PEM. */
  root(): Promise<string>;
  /** Makes the DNS server answer A queries for `host` with these addresses (and nothing else). */
  setA(host: string, addresses: string[]): Promise<void>;
  /** Everything pebble has logged so far (one line per ACME request it served). */
  log(): string;
  stop(): Promise<void>;
}

async function waitFor(what: string, ready: () => Promise<boolean>, child: ChildProcess, logFile: string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited:\n${readFileSync(logFile, 'utf8')}`);
    if (await ready().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not start in 10 s:\n${readFileSync(logFile, 'utf8')}`);
}

function startProcess(argv: string[], env: Record<string, string>, logFile: string): ChildProcess {
  const out = openSync(logFile, 'a');
  const [program, ...args] = argv;
  const child = spawn(program ?? '', args, { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  closeSync(out);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000).then(() => child.kill('SIGKILL'))]);
}

export async function startAcmeCa(): Promise<AcmeCa> {
  const dir = mkdtempSync(join(tmpdir(), 'cinectl-pebble-'));
  const serving = makeServingCertificate(dir);
  const config = join(dir, 'pebble.json');
  writeFileSync(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `${LOOPBACK}:${ACME_PORT}`,
        managementListenAddress: `${LOOPBACK}:${PEBBLE_MANAGEMENT_PORT}`,
        certificate: serving.certificate,
        privateKey: serving.key,
        httpPort: HTTP_PORT,
        tlsPort: HTTPS_PORT,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const dnsLog = join(dir, 'challtestsrv.log');
  const pebbleLog = join(dir, 'pebble.log');
  const management = `http://${LOOPBACK}:${CHALLTESTSRV_MANAGEMENT_PORT}`;
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopProcess));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const dns = startProcess(
      [
        'pebble-challtestsrv',
        '-dns01',
        `${LOOPBACK}:${DNS_PORT}`,
        '-http01',
        '',
        '-https01',
        '',
        '-tlsalpn01',
        '',
        '-management',
        `${LOOPBACK}:${CHALLTESTSRV_MANAGEMENT_PORT}`,
        '-defaultIPv4',
        LOOPBACK,
        '-defaultIPv6',
        '',
      ],
      {},
      dnsLog,
    );
    children.push(dns);
    await waitFor('pebble-challtestsrv', async () => (await fetch(`${management}/`)).status > 0, dns, dnsLog);
    const pebble = startProcess(
      ['pebble', '-config', config, '-dnsserver', `${LOOPBACK}:${DNS_PORT}`],
      { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' },
      pebbleLog,
    );
    children.push(pebble);
    const ca = readFileSync(serving.ca, 'utf8');
    const directory = `https://${LOOPBACK}:${ACME_PORT}/dir`;
    await waitFor('pebble', async () => (await httpsGet(directory, ca)).status === 200, pebble, pebbleLog);
    return {
      directory,
      httpsCa: serving.ca,
      async root() {
        const answer = await httpsGet(`https://${LOOPBACK}:${PEBBLE_MANAGEMENT_PORT}/roots/0`, ca);
        if (answer.status !== 200) throw new Error(`pebble's /roots/0 answered ${answer.status}`);
        return answer.body;
      },
      async setA(host, addresses) {
        const fqdn = host.endsWith('.') ? host : `${host}.`;
        await postJson(`${management}/clear-a`, { host: fqdn });
        await postJson(`${management}/add-a`, { host: fqdn, addresses });
      },
      log: () => readFileSync(pebbleLog, 'utf8'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
