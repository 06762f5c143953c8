import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nginxTestFiles, selfSignedCertificate, which, withoutTools } from '../../test/support/tools.ts';
import { render } from '../render.ts';
import { changedLines } from './__golden__/changed-lines.ts';
import {
  DEFAULT_NGINX_HOST,
  type DomainTls,
  httpLevelTlsDirectives,
  type NginxApp,
  type NginxHost,
  nginxFiles,
} from './nginx.ts';
import { nginxStep } from './nginx-step.ts';

const block = (first: number) => Array.from({ length: 12 }, (_, i) => first + i);
const placeholder: DomainTls = {
  certificate: '/etc/cinectl/tls/films.example.com/fullchain.pem',
  key: '/etc/cinectl/tls/films.example.com/privkey.pem',
  issued: false,
  acmeWebroot: '/var/lib/cinectl/acme',
};
const issued: DomainTls = {
  certificate: '/etc/letsencrypt/live/films.example.com/fullchain.pem',
  key: '/etc/letsencrypt/live/films.example.com/privkey.pem',
  issued: true,
  acmeWebroot: '/var/lib/cinectl/acme',
};
const myapp: NginxApp = { name: 'myapp', ports: block(8001) };
const films = (tls: DomainTls): NginxApp => ({ name: 'films', ports: block(8013), domain: 'films.example.com', tls });

describe('nginxFiles with a domain: golden renders', () => {
  it('before install-ssl: the placeholder certificate, and the app on port 80 too', async () => {
    const files = nginxFiles([myapp, films(placeholder)]);
    expect([...files.keys()]).toEqual([
      'cinectl/http.conf',
      'cinectl/proxy.inc',
      'cinectl/localhost.conf',
      'cinectl/tls.conf',
      'cinectl/security-headers.inc',
      'cinectl/app-myapp.conf',
      'cinectl/app-films.conf',
    ]);
    for (const [path, content] of files) {
      await expect(content).toMatchFileSnapshot(`__golden__/domain-placeholder/${path}`);
    }
  });

  it('after install-ssl: the issued certificate, HSTS, and port 80 redirecting', async () => {
    for (const [path, content] of nginxFiles([myapp, films(issued)])) {
      await expect(content).toMatchFileSnapshot(`__golden__/domain-issued/${path}`);
    }
  });
});

describe('nginxFiles with a domain: behaviour', () => {
  const appConf = (tls: DomainTls, host: Partial<NginxHost> = {}) =>
    nginxFiles([films(tls)], host).get('cinectl/app-films.conf') ?? '';

  it('the certificate changes only the paths, the port-80 block, HSTS and the comments', () => {
    expect(changedLines(appConf(placeholder), appConf(issued))).toEqual([
      "- # serves the app itself while HTTPS has only cinectl's self-signed placeholder (cinectl install-ssl films.example.com).",
      '+ # sends everything else to HTTPS for good (308).',
      '-     include cinectl/proxy.inc;',
      '-     proxy_cookie_path /films /;',
      '- ',
      '-     # Under /films/ to the app, the URI exactly as the client sent it (nothing decoded or merged): the raw',
      '-     # $request_uri, query string included, caught whole as $1.',
      '-         rewrite ^ $request_uri;',
      '-         rewrite ^(.*)$ $1 break;',
      '-         proxy_pass http://films_backend/films$1;',
      '-         proxy_redirect /films/ /;',
      '+         return 308 https://$host$request_uri;',
      '-     location /films/ {',
      '-         proxy_pass http://films_backend;',
      '-     }',
      "-     # cinectl's self-signed placeholder: browsers warn until install-ssl puts a CA-issued certificate here.",
      '-     ssl_certificate /etc/cinectl/tls/films.example.com/fullchain.pem;',
      '-     ssl_certificate_key /etc/cinectl/tls/films.example.com/privkey.pem;',
      '+     ssl_certificate /etc/letsencrypt/live/films.example.com/fullchain.pem;',
      '+     ssl_certificate_key /etc/letsencrypt/live/films.example.com/privkey.pem;',
      '-     # No HSTS before the CA-issued certificate: max-age=0 tells browsers to require HTTPS of nothing yet.',
      '-     add_header Strict-Transport-Security "max-age=0" always;',
      '+     add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;',
    ]);
  });

  it("turns HTTP/2 on in the syntax of the host's nginx: `http2 on;` from 1.25.1, `listen … http2` before", () => {
    expect(changedLines(appConf(issued), appConf(issued, { http2Directive: true }))).toEqual([
      '-     listen 443 ssl http2;',
      '+     listen 443 ssl;',
      '+     http2 on;',
    ]);
  });

  it('listens on IPv6 as well when the host has it, in both HTTP/2 syntaxes', () => {
    expect(changedLines(appConf(issued), appConf(issued, { ipv6: true }))).toEqual([
      '+     listen [::]:80;',
      '+     listen [::]:443 ssl http2;',
    ]);
    expect(
      changedLines(appConf(issued, { http2Directive: true }), appConf(issued, { http2Directive: true, ipv6: true })),
    ).toEqual(['+     listen [::]:80;', '+     listen [::]:443 ssl;']);
    const localhost = (ipv6: boolean) => nginxFiles([films(issued)], { ipv6 }).get('cinectl/localhost.conf') ?? '';
    expect(changedLines(localhost(false), localhost(true))).toEqual(['+     listen [::]:80;']);
  });

  it('serves ACME challenges on port 80 from the webroot, before any redirect', () => {
    for (const tls of [placeholder, issued]) {
      const conf = appConf({ ...tls, acmeWebroot: '/srv/tree/var/lib/cinectl/acme' });
      const challenge = conf.indexOf('location ^~ /.well-known/acme-challenge/ {');
      expect(challenge).toBeGreaterThan(conf.indexOf('listen 80;'));
      expect(challenge).toBeLessThan(conf.indexOf('listen 443 ssl http2;'));
      expect(conf).toContain('        root /srv/tree/var/lib/cinectl/acme;\n');
    }
  });

  it('has the Mozilla intermediate profile for every HTTPS server, once per site', () => {
    const tls = nginxFiles([films(issued)]).get('cinectl/tls.conf') ?? '';
    expect(tls).toContain('ssl_protocols TLSv1.2 TLSv1.3;\n');
    expect(tls).toContain(
      'ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;\n',
    );
    for (const line of [
      'ssl_prefer_server_ciphers off;',
      'ssl_session_cache shared:cinectl_tls:10m;',
      'ssl_session_timeout 1d;',
      'ssl_session_tickets off;',
      'ssl_stapling off;',
    ]) {
      expect(tls).toContain(`\n${line}\n`);
    }
    const two = nginxFiles([films(issued), { ...myapp, domain: 'other.example.com', tls: placeholder }]);
    expect([...two.keys()].filter((path) => path === 'cinectl/tls.conf')).toHaveLength(1);
  });

  it('adds no TLS files while no app has a domain, and none for a domain without TLS facts', () => {
    expect([...nginxFiles([myapp]).keys()]).not.toContain('cinectl/tls.conf');
    const plain = nginxFiles([{ ...myapp, domain: 'films.example.com' }]);
    expect([...plain.keys()]).not.toContain('cinectl/tls.conf');
    expect(plain.get('cinectl/app-myapp.conf')).not.toContain('443');
  });

  it('serves a wildcard domain', () => {
    const conf = nginxFiles([{ ...films(placeholder), domain: '*.example.com' }]).get('cinectl/app-films.conf') ?? '';
    expect(conf.match(/server_name \*\.example\.com;/g)).toHaveLength(2);
  });

  it('refuses two apps with one domain and paths that cannot go into a config', () => {
    expect(() => nginxFiles([films(issued), { ...myapp, domain: 'films.example.com', tls: issued }])).toThrow(
      'two apps have the same domain',
    );
    expect(() => nginxFiles([films({ ...issued, key: '/etc/x y/privkey.pem' })])).toThrow(
      'app films: "/etc/x y/privkey.pem" cannot go into an nginx config as a path',
    );
    expect(() => nginxFiles([films({ ...issued, acmeWebroot: 'relative' })])).toThrow(/cannot go into an nginx config/);
  });

  it('renders the header include and the TLS profile from their templates alone', () => {
    expect(render('nginx/security-headers.inc.hbs', {})).toContain(
      'add_header X-Frame-Options $cinectl_x_frame_options always;',
    );
  });
});

const nginx = which('nginx');

describe.skipIf(!nginx)(
  nginx ? 'nginx -t on a domain' : `nginx -t on a domain: SKIPPED, ${withoutTools('nginx')}`,
  () => {
    const scratch = mkdtempSync(join(tmpdir(), 'cinectl-nginx-tls-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    /** The files of `tls` made for real (openssl), as certbot or set-domain would leave them, under `dir`. */
    function certificateFiles(dir: string, tls: DomainTls): DomainTls {
      const placed = {
        ...tls,
        certificate: join(dir, tls.certificate),
        key: join(dir, tls.key),
        acmeWebroot: join(dir, tls.acmeWebroot),
      };
      mkdirSync(dirname(placed.certificate), { recursive: true });
      mkdirSync(placed.acmeWebroot, { recursive: true });
      selfSignedCertificate({
        domain: 'films.example.com',
        days: 1,
        key: placed.key,
        certificate: placed.certificate,
      });
      return placed;
    }

    async function nginxTest(name: string, tls: DomainTls, makeFiles = true) {
      const dir = join(scratch, name);
      const placed = makeFiles
        ? certificateFiles(dir, tls)
        : { ...tls, certificate: join(dir, tls.certificate), key: join(dir, tls.key) };
      return nginxTestFiles(
        nginx ?? 'nginx',
        dir,
        nginxFiles([myapp, films(placed)], { cacheDir: join(dir, 'cache') }),
      );
    }

    it('passes for a domain with the placeholder certificate', async () => {
      const { exitCode, output } = await nginxTest('placeholder', placeholder);
      expect(output).toContain('test is successful');
      expect(output).not.toMatch(/\[(emerg|crit|alert)\]/);
      expect(exitCode).toBe(0);
    });

    it('passes for a domain with the issued certificate', async () => {
      const { exitCode, output } = await nginxTest('issued', issued);
      expect(output).toContain('test is successful');
      expect(output).not.toMatch(/\[(emerg|crit|alert)\]/);
      expect(exitCode).toBe(0);
    });

    it('fails while the certificate files are missing (the check is real)', async () => {
      const { exitCode, output } = await nginxTest('missing', issued, false);
      expect(exitCode).not.toBe(0);
      expect(output).toMatch(/cannot load certificate/);
    });
  },
);

describe('httpLevelTlsDirectives', () => {
  it("finds the TLS profile's directives set for all of http { }", () => {
    const conf = [
      'events {}',
      'http {',
      '    include mime.types;',
      '    ssl_protocols TLSv1 TLSv1.1;',
      '    ssl_session_cache shared:other:1m;',
      '    ssl_certificate /etc/ssl/default.pem;',
      '}',
    ].join('\n');
    expect(httpLevelTlsDirectives(conf)).toEqual(['ssl_protocols', 'ssl_session_cache']);
  });

  it('leaves alone what a server block, a comment or a quoted string says', () => {
    const conf = [
      'http {',
      '    # ssl_protocols TLSv1;',
      '    log_format main "ssl_protocols; ssl_ciphers;";',
      '    server {',
      '        listen 443 ssl;',
      '        ssl_protocols TLSv1.2;',
      '        location / { ssl_ciphers HIGH; }',
      '    }',
      '}',
    ].join('\n');
    expect(httpLevelTlsDirectives(conf)).toEqual([]);
  });
});

describe('nginxStep with a domain', () => {
  it('refuses an nginx.conf whose http block sets TLS protocols of its own, which nginx would merge in quietly', () => {
    const conf = 'events {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n}\n';
    const site = { nginxConf: conf, host: DEFAULT_NGINX_HOST };
    expect(() => nginxStep({ ...site, apps: [films(placeholder)] })).toThrow(
      /^\/etc\/nginx\/nginx\.conf sets ssl_protocols for all of http \{ \}, where cinectl's TLS profile/,
    );
    expect(nginxStep({ ...site, apps: [myapp] }).files.has('cinectl/tls.conf')).toBe(false);
  });
});
