import { describe, expect, it } from 'vitest';
import { displayArgv } from '../host/root.ts';
import { certbotCertonly, hookReloadArgv, timerLastRunArgv } from './certbot.ts';

const line = (argv: Parameters<typeof displayArgv>[0], root = '/') => displayArgv(argv, root).join(' ');

describe('certbotCertonly', () => {
  it('asks for the domain over the webroot, non-interactively, with an email', () => {
    expect(line(certbotCertonly({ domain: 'films.example.com', email: 'ops@example.com' }, '/'))).toBe(
      'certbot certonly --webroot -w /var/lib/cinectl/acme -d films.example.com --cert-name films.example.com --non-interactive --agree-tos --email=ops@example.com --no-eff-email',
    );
  });

  it('registers without an address when there is no email', () => {
    expect(line(certbotCertonly({ domain: 'films.example.com' }, '/'))).toBe(
      'certbot certonly --webroot -w /var/lib/cinectl/acme -d films.example.com --cert-name films.example.com --non-interactive --agree-tos --register-unsafely-without-email',
    );
  });

  it("names the CA: Let's Encrypt staging, or any ACME directory", () => {
    expect(line(certbotCertonly({ domain: 'a.example.com', staging: true }, '/'))).toMatch(
      / --server https:\/\/acme-staging-v02\.api\.letsencrypt\.org\/directory$/,
    );
    expect(line(certbotCertonly({ domain: 'a.example.com', server: 'https://127.0.0.1:14000/dir' }, '/'))).toMatch(
      / --register-unsafely-without-email --server https:\/\/127\.0\.0\.1:14000\/dir$/,
    );
  });

  it("keeps certbot's configuration, work files and logs in a --root tree, and its webroot", () => {
    expect(line(certbotCertonly({ domain: 'movies.test' }, '/srv/tree'), '/srv/tree')).toBe(
      'certbot certonly --config-dir /srv/tree/etc/letsencrypt --work-dir /srv/tree/var/lib/letsencrypt --logs-dir /srv/tree/var/log/letsencrypt --webroot -w /srv/tree/var/lib/cinectl/acme -d movies.test --cert-name movies.test --non-interactive --agree-tos --register-unsafely-without-email',
    );
  });
});

describe('hookReloadArgv', () => {
  it("reloads the host's nginx through systemd, and a tree's nginx by its own nginx.conf", () => {
    expect(hookReloadArgv('/').join(' ')).toBe('systemctl reload nginx.service');
    expect(hookReloadArgv('/srv/tree').join(' ')).toBe('nginx -s reload -c /srv/tree/etc/nginx/nginx.conf');
  });
});

describe('timerLastRunArgv', () => {
  it('asks systemd on a host and nothing under --root', () => {
    expect(timerLastRunArgv('/')?.join(' ')).toBe(
      'systemctl show certbot-renew.timer --property=LastTriggerUSec --value',
    );
    expect(timerLastRunArgv('/srv/tree')).toBeNull();
  });
});
