import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRoot, removeRoot } from '../../test/support/root.ts';
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
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '30',
        '-subj',
        '/CN=films.example.com',
        '-keyout',
        join(dir, 'privkey.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const expires = new Date(new X509Certificate(readFileSync(join(dir, 'cert.pem'))).validTo);
    const now = new Date(expires.getTime() - 10.5 * 86_400_000);

    expect(await certificateStatus(root, 'films.example.com', now)).toEqual({
      path: '/etc/letsencrypt/live/films.example.com/cert.pem',
      expires: expires.toISOString(),
      daysLeft: 10,
    });
    expect(await certificateStatus(root, 'other.example.com', now)).toBeNull();
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
          certificate: { path: '/x', expires: '2025-04-01T00:00:00.000Z', daysLeft: 17 },
          workers: [
            { port: 8001, unit: 'myapp@8001.service', state: 'active', listening: true, healthy: true },
            { port: 8002, unit: 'myapp@8002.service', state: 'failed', listening: false, healthy: false },
          ],
        },
      ],
    };
    expect(formatStatus(status)).toEqual([
      'MongoDB  not installed',
      'nginx    active',
      '',
      'myapp  http://films.example.com/  ports 8001–8002  release 20250314T091500Z  1/2 workers healthy',
      '  domain films.example.com, certificate expires in 17 days (2025-04-01)',
      '  myapp@8001.service       active     listening      healthy',
      '  myapp@8002.service       failed     not listening  no /healthz answer',
    ]);
  });
});
