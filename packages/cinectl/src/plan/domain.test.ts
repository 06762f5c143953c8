import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { planLines, stepAt } from '../../test/support/plan-text.ts';
import { which, withoutTools } from '../../test/support/tools.ts';
import { deployHook, installSslPlan, renewalUnits, setDomainPlan } from './domain.ts';
import type { DomainTls, NginxApp } from './nginx.ts';
import { DEFAULT_NGINX_HOST } from './nginx.ts';

const ARCH_CONF = 'events {}\nhttp {\n    include mime.types;\n}\n';
const tls = (issued: boolean): DomainTls => ({
  certificate: issued
    ? '/etc/letsencrypt/live/movies.test/fullchain.pem'
    : '/etc/cinectl/tls/movies.test/fullchain.pem',
  key: issued ? '/etc/letsencrypt/live/movies.test/privkey.pem' : '/etc/cinectl/tls/movies.test/privkey.pem',
  issued,
  acmeWebroot: '/var/lib/cinectl/acme',
});
const movies = (issued: boolean): NginxApp => ({
  name: 'movies',
  ports: [8001, 8002],
  domain: 'movies.test',
  tls: tls(issued),
});
const config = {
  name: 'movies',
  ports: [8001, 8002],
  domain: 'movies.test',
  created: '2025-03-14T09:15:00.000Z',
  release: '20250314T091500Z',
};

describe('setDomainPlan', () => {
  const plan = setDomainPlan({
    app: config,
    apps: [movies(false)],
    nginxConf: ARCH_CONF,
    nginx: DEFAULT_NGINX_HOST,
  });

  it('makes the webroot and the placeholder once, then nginx, and records the domain last', () => {
    expect(plan.title).toBe('Serve movies at movies.test');
    expect(planLines(plan)).toEqual([
      'mkdir /var/lib/cinectl/acme 0755 root:root',
      'mkdir /etc/cinectl/tls/movies.test 0700 root:root',
      'run openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj /CN=movies.test -addext subjectAltName=DNS:movies.test -keyout /etc/cinectl/tls/movies.test/privkey.pem -out /etc/cinectl/tls/movies.test/fullchain.pem',
      'mkdir /var/cache/nginx 0755 root:root',
      'nginx /etc/nginx/nginx.conf + cinectl/http.conf cinectl/proxy.inc cinectl/localhost.conf cinectl/tls.conf cinectl/security-headers.inc cinectl/app-movies.conf',
      'write /var/www/movies/.deploy_config 0644 root:root',
    ]);
    expect(stepAt(plan, 'run', /placeholder/).unless).toEqual({
      kind: 'path-exists',
      path: '/etc/cinectl/tls/movies.test/fullchain.pem',
    });
    expect(JSON.parse(stepAt(plan, 'write', /Record/).content)).toEqual(config);
  });

  it('places the placeholder under --root like every other host path', () => {
    expect(planLines(plan, '/srv/tree')[2]).toContain(
      '-keyout /srv/tree/etc/cinectl/tls/movies.test/privkey.pem -out /srv/tree/etc/cinectl/tls/movies.test/fullchain.pem',
    );
  });
});

describe('installSslPlan', () => {
  const plan = (root: string, request = { domain: 'movies.test', email: 'ops@movies.test' }) =>
    installSslPlan({
      request,
      root,
      apps: [movies(true)],
      nginxConf: ARCH_CONF,
      nginx: DEFAULT_NGINX_HOST,
    });

  it('installs certbot when missing, sets up renewal, asks for the certificate once, then nginx', () => {
    expect(planLines(plan('/'))).toEqual([
      'run pacman -S --needed --noconfirm certbot',
      'mkdir /var/lib/cinectl/acme 0755 root:root',
      'write /etc/letsencrypt/renewal-hooks/deploy/cinectl-reload-nginx 0755 root:root',
      'write /etc/systemd/system/certbot-renew.service 0644 root:root',
      'write /etc/systemd/system/certbot-renew.timer 0644 root:root',
      'run systemctl daemon-reload [live] [when renew-units]',
      'service enable certbot-renew.timer',
      'service start certbot-renew.timer',
      'run certbot certonly --webroot -w /var/lib/cinectl/acme -d movies.test --cert-name movies.test --non-interactive --agree-tos --email=ops@movies.test --no-eff-email',
      'mkdir /var/cache/nginx 0755 root:root',
      'nginx /etc/nginx/nginx.conf + cinectl/http.conf cinectl/proxy.inc cinectl/localhost.conf cinectl/tls.conf cinectl/security-headers.inc cinectl/app-movies.conf',
    ]);
    expect(stepAt(plan('/'), 'run', 'Install certbot').unless).toEqual({
      kind: 'path-exists',
      path: '/usr/bin/certbot',
    });
    expect(stepAt(plan('/'), 'run', /Get a certificate/).unless).toEqual({
      kind: 'path-exists',
      path: '/etc/letsencrypt/live/movies.test/fullchain.pem',
    });
  });

  it('serves the issued certificate with HSTS in the nginx step', () => {
    const conf = stepAt(plan('/'), 'nginx', /Serve movies\.test/).files.get('cinectl/app-movies.conf') ?? '';
    expect(conf).toContain('ssl_certificate /etc/letsencrypt/live/movies.test/fullchain.pem;');
    expect(conf).toContain('return 308 https://$host$request_uri;');
    expect(conf).toContain('Strict-Transport-Security');
  });

  it("keeps pacman and certbot inside a --root tree, and the hook reloads that tree's nginx", () => {
    const lines = planLines(plan('/srv/tree'), '/srv/tree');
    expect(lines[0]).toBe(
      'run pacman --root /srv/tree --dbpath /srv/tree/var/lib/pacman --config /srv/tree/etc/pacman.conf -S --needed --noconfirm certbot',
    );
    expect(lines[8]).toMatch(/^run certbot certonly --config-dir \/srv\/tree\/etc\/letsencrypt /);
    expect(stepAt(plan('/srv/tree'), 'write', /deploy hook/).content).toBe(deployHook('/srv/tree'));
  });
});

describe('deployHook', () => {
  it('is a shell script that reloads nginx and nothing else', () => {
    expect(deployHook('/')).toBe(
      [
        '#!/bin/sh',
        '# cinectl: certbot runs this after it renews a certificate, so nginx loads the new one. Rendered by cinectl.',
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'export PATH',
        'exec systemctl reload nginx.service',
        '',
      ].join('\n'),
    );
    expect(deployHook("/tmp/it's here")).toContain(
      "exec nginx -s reload -c '/tmp/it'\\''s here/etc/nginx/nginx.conf'\n",
    );
  });
});

const systemdAnalyze = which('systemd-analyze');

const renewalSkip = withoutTools('systemd-analyze', 'certbot');

describe.skipIf(renewalSkip !== undefined)(
  renewalSkip ? `renewal units: SKIPPED, ${renewalSkip}` : 'renewal units',
  () => {
    it('pass systemd-analyze verify', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cinectl-renew-'));
      try {
        for (const unit of renewalUnits()) writeFileSync(join(dir, unit.path.split('/').at(-1) ?? ''), unit.content);
        const result = await execa(
          systemdAnalyze ?? 'systemd-analyze',
          ['verify', '--man=no', '--generators=no', 'certbot-renew.timer', 'certbot-renew.service'],
          { cwd: dir, env: { SYSTEMD_UNIT_PATH: `${dir}:` }, reject: false, all: true },
        );
        const ours = (result.all ?? '').split('\n').filter((line) => line.includes('certbot-renew'));
        expect(ours).toEqual([]);
        expect(result.exitCode).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
