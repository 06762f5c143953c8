import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cinectl } from './support/cli.ts';
import { makeRoot, removeRoot, treeHash } from './support/root.ts';
import { selfSignedCertificate } from './support/tools.ts';

describe('cinectl --root $TMP install-ssl: input and plan', () => {
  const root = makeRoot();
  afterAll(() => removeRoot(root));

  beforeAll(async () => {
    mkdirSync(join(root, 'var/www/movies'), { recursive: true });
    writeFileSync(
      join(root, 'var/www/movies/.deploy_config'),
      `${JSON.stringify({ name: 'movies', ports: [8001], domain: null, created: '2025-03-14T09:15:00.000Z', release: null })}\n`,
    );
    const set = await cinectl(['--root', root, 'set-domain', 'movies.test']);
    expect(set.exitCode, set.stderr).toBe(0);
  });

  it.each([
    [
      ['films.example.com'],
      /^cinectl: no app has the domain films\.example\.com — hint: give it to an app first: cinectl set-domain films\.example\.com \[APP\]$/,
    ],
    [
      ['*.movies.test'],
      /^cinectl: install-ssl cannot get a certificate for the wildcard \*\.movies\.test: .* — hint: get it with a certbot DNS plugin and --cert-name _wildcard\.movies\.test/,
    ],
    [['Movies.test'], /has uppercase letters — hint: write it in lowercase: movies\.test$/],
    [
      ['movies.test', '--email', 'ops'],
      /^cinectl: --email "ops" is not an email address — hint: e\.g\. --email ops@example\.com$/,
    ],
    [['movies.test', '--email', 'ops@x;y.com'], /is not an email address/],
    [
      ['movies.test', '--server', 'http://127.0.0.1:14000/dir'],
      /^cinectl: --server "http:\/\/127\.0\.0\.1:14000\/dir" is not an https:\/\/ ACME directory URL/,
    ],
    [
      ['movies.test', '--staging', '--server', 'https://ca.example/dir'],
      /^cinectl: --staging and --server both name the CA — hint: give one of them$/,
    ],
  ])('refuses %j with exit 2 and changes nothing', async (args, message) => {
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'install-ssl', ...args]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd()).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(treeHash(root)).toBe(before);
  });

  it('a dry run shows pacman, certbot on the tree and the nginx change, and changes nothing', async () => {
    const before = treeHash(root);
    const result = await cinectl([
      '--root',
      root,
      '--dry-run',
      'install-ssl',
      'movies.test',
      '--skip-dns-check',
      '--server',
      'https://127.0.0.1:14000/dir',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe(
      'warning: the DNS check is skipped; the CA is asked even if movies.test does not point here\n',
    );
    expect(result.stdout).toContain(
      `    $ pacman --root ${root} --dbpath ${root}/var/lib/pacman --config ${root}/etc/pacman.conf -S --needed --noconfirm certbot\n`,
    );
    expect(result.stdout).toContain(
      `    $ certbot certonly --config-dir ${root}/etc/letsencrypt --work-dir ${root}/var/lib/letsencrypt --logs-dir ${root}/var/log/letsencrypt --webroot -w ${root}/var/lib/cinectl/acme -d movies.test --cert-name movies.test --non-interactive --agree-tos --register-unsafely-without-email --server https://127.0.0.1:14000/dir\n`,
    );
    expect(result.stdout).toContain(`+    ssl_certificate ${root}/etc/letsencrypt/live/movies.test/fullchain.pem;`);
    expect(result.stdout).toContain('+        return 308 https://$host$request_uri;');
    expect(treeHash(root)).toBe(before);
  });

  it("refuses to keep a certificate from another CA (staging before, Let's Encrypt now), naming the way out", async () => {
    const live = join(root, 'etc/letsencrypt/live/movies.test');
    mkdirSync(live, { recursive: true });
    mkdirSync(join(root, 'etc/letsencrypt/renewal'), { recursive: true });
    selfSignedCertificate({
      domain: 'movies.test',
      days: 90,
      key: join(live, 'privkey.pem'),
      certificate: join(live, 'fullchain.pem'),
    });
    writeFileSync(
      join(root, 'etc/letsencrypt/renewal/movies.test.conf'),
      '[renewalparams]\nauthenticator = webroot\nserver = https://acme-staging-v02.api.letsencrypt.org/directory\n',
    );
    const before = treeHash(root);
    const production = await cinectl(['--root', root, 'install-ssl', 'movies.test', '--skip-dns-check']);
    expect(production.exitCode).toBe(1);
    expect(production.stderr).toContain(
      'cinectl: movies.test already has a certificate from https://acme-staging-v02.api.letsencrypt.org/directory, not from https://acme-v02.api.letsencrypt.org/directory — hint: to change CA, delete it first (certbot delete --cert-name movies.test), then run install-ssl again',
    );
    expect(treeHash(root)).toBe(before);

    const staging = await cinectl([
      '--root',
      root,
      '--dry-run',
      'install-ssl',
      'movies.test',
      '--staging',
      '--skip-dns-check',
    ]);
    expect(staging.exitCode, staging.stderr).toBe(0);
  });

  it("warns that certbot's renewals will fail once nginx no longer serves a domain with a certificate", async () => {
    const warning =
      "warning: nginx no longer serves movies.test, so certbot's renewals of its certificate will fail; if you do not need it any more: certbot delete --cert-name movies.test\n";
    const moved = await cinectl(['--root', root, 'set-domain', 'films.test', 'movies']);
    expect(moved.exitCode, moved.stderr).toBe(0);
    expect(moved.stderr).toBe(warning);
    const back = await cinectl(['--root', root, 'set-domain', 'movies.test', 'movies']);
    expect(back.stderr).toBe('');
    const removed = await cinectl(['--root', root, 'remove-app', 'movies']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stderr).toBe(warning);
  });
});
