import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRoot, removeRoot } from '../../test/support/root.ts';
import { selfSignedCertificate } from '../../test/support/tools.ts';
import { certificateStatus, formatStatus, type HostStatus } from './status.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

describe('certificateStatus', () => {
  it("counts the whole days left on the domain's Let's Encrypt certificate", async () => {
    const root = makeRoot({ nginx: false });
    roots.push(root);
    const dir = join(root, 'etc/letsencrypt/live/films.example.com');
    mkdirSync(dir, { recursive: true });
    selfSignedCertificate({
      domain: 'films.example.com',
      days: 30,
      key: join(dir, 'privkey.pem'),
      certificate: join(dir, 'cert.pem'),
    });
    const expires = new Date(new X509Certificate(readFileSync(join(dir, 'cert.pem'))).validTo);
    const now = new Date(expires.getTime() - 10.5 * 86_400_000);

    expect(await certificateStatus(root, 'films.example.com', now)).toEqual({
      path: '/etc/letsencrypt/live/films.example.com/cert.pem',
      expires: expires.toISOString(),
      daysLeft: 10,
      lifetimeDays: 30,
    });
    expect(await certificateStatus(root, 'other.example.com', now)).toBeNull();
    mkdirSync(join(root, 'etc/letsencrypt/live/bad.example.com'), { recursive: true });
    writeFileSync(join(root, 'etc/letsencrypt/live/bad.example.com/cert.pem'), 'not a certificate\n');
    await expect(certificateStatus(root, 'bad.example.com', now)).rejects.toThrow(
      '/etc/letsencrypt/live/bad.example.com/cert.pem is not a PEM certificate',
    );
  });
});

describe('formatStatus', () => {
  it('shows services, each app with its health and certificate, and each worker', () => {
    const status: HostStatus = {
      root: '/',
      mongodb: { installed: false, state: null },
      nginx: { installed: true, state: 'active' },
      apps: [
        {
          name: 'myapp',
          domain: 'films.example.com',
          url: 'http://films.example.com/',
          ports: [8001, 8002],
          release: '20250314T091500Z',
          certificate: { path: '/x', expires: '2025-04-01T00:00:00.000Z', daysLeft: 17, lifetimeDays: 45 },
          workers: [
            { port: 8001, unit: 'myapp@8001.service', state: 'active', listening: true, healthy: true },
            { port: 8002, unit: 'myapp@8002.service', state: 'failed', listening: false, healthy: false },
          ],
        },
      ],
      broken: [],
      renewal: { timer: 'certbot-renew.timer', enabled: 'enabled', lastRun: 'Fri 2025-03-14 00:00:03 UTC' },
    };
    expect(formatStatus(status)).toEqual([
      'MongoDB  not installed',
      'nginx    active',
      '',
      'myapp  http://films.example.com/  ports 8001–8002  release 20250314T091500Z  1/2 workers healthy',
      '  domain films.example.com, certificate expires in 17 days (2025-04-01)',
      '  myapp@8001.service       active     listening      healthy',
      '  myapp@8002.service       failed     not listening  no /healthz answer',
      '',
      'Renewal  certbot-renew.timer enabled, last run Fri 2025-03-14 00:00:03 UTC',
    ]);
  });

  const withDomain = (certificate: HostStatus['apps'][number]['certificate'], root = '/'): HostStatus => ({
    root,
    mongodb: { installed: false, state: null },
    nginx: { installed: true, state: 'active' },
    apps: [
      {
        name: 'myapp',
        domain: 'films.example.com',
        url: 'https://films.example.com/',
        ports: [8001],
        release: null,
        certificate,
        workers: [],
      },
    ],
    broken: [],
    renewal: { timer: 'certbot-renew.timer', enabled: null, lastRun: null },
  });
  const expiring = (daysLeft: number, lifetimeDays = 45) => ({
    path: '/x',
    expires: '2025-03-20T00:00:00.000Z',
    daysLeft,
    lifetimeDays,
  });

  it("warns when less than a third of the certificate's lifetime is left, or it has expired", () => {
    const lines = (daysLeft: number, lifetimeDays?: number) =>
      formatStatus(withDomain(expiring(daysLeft, lifetimeDays))).filter((l) => l.includes('films'));
    expect(lines(15)).toEqual([
      'myapp  https://films.example.com/  ports 8001–8001  release none  0/0 workers healthy',
      '  domain films.example.com, certificate expires in 15 days (2025-03-20)',
    ]);
    expect(lines(14).slice(1)).toEqual([
      '  domain films.example.com, certificate expires in 14 days (2025-03-20)',
      '  WARNING: the certificate of films.example.com expires in 14 days and was not renewed: look at journalctl -u certbot-renew.service, then run certbot renew',
    ]);
    expect(lines(29, 90)).toHaveLength(3);
    expect(lines(30, 90)).toHaveLength(2);
    expect(lines(21, 64)).toHaveLength(3);
    expect(lines(-2).at(-1)).toBe(
      '  WARNING: the certificate of films.example.com has expired and was not renewed: look at journalctl -u certbot-renew.service, then run certbot renew',
    );
  });

  it('lists a broken app with its file, what is wrong and what to fix', () => {
    const status: HostStatus = {
      root: '/',
      mongodb: { installed: false, state: null },
      nginx: { installed: true, state: 'active' },
      apps: [],
      broken: [
        {
          name: 'myapp-copy',
          file: '/var/www/myapp-copy/.deploy_config',
          problems: ['names the app "myapp" but lives in /var/www/myapp-copy'],
          fix: 'move it away',
        },
      ],
      renewal: null,
    };
    expect(formatStatus(status)).toEqual([
      'MongoDB  not installed',
      'nginx    active',
      '',
      'myapp-copy  BROKEN: /var/www/myapp-copy/.deploy_config is not valid (names the app "myapp" but lives in /var/www/myapp-copy)',
      '  fix: move it away',
    ]);
  });

  it('names the placeholder and what to run, and says when the timer cannot be asked', () => {
    const lines = formatStatus(withDomain(null));
    expect(lines).toContain(
      '  domain films.example.com, self-signed placeholder only: run cinectl install-ssl films.example.com',
    );
    expect(lines.at(-1)).toBe('Renewal  certbot-renew.timer unknown, last run never');
    const wildcard = withDomain(null);
    const [app] = wildcard.apps;
    if (app) app.domain = '*.films.example.com';
    expect(formatStatus(wildcard)).toContain(
      '  domain *.films.example.com, self-signed placeholder only: get its certificate with a certbot DNS plugin and --cert-name _wildcard.films.example.com (docs/DOMAINS.md); install-ssl answers over HTTP, which cannot prove a wildcard',
    );
    expect(formatStatus(withDomain(null, '/srv/tree')).at(-1)).toBe(
      'Renewal  certbot-renew.timer n/a under --root, last run n/a under --root',
    );
  });
});
