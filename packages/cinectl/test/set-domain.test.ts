import { X509Certificate } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cinectl } from './support/cli.ts';
import { makeRoot, removeRoot, treeHash } from './support/root.ts';

/** A registry entry as deploy-app leaves it (set-domain needs no release or running workers). */
function registerApp(root: string, name: string, first: number): void {
  mkdirSync(join(root, 'var/www', name), { recursive: true });
  writeFileSync(
    join(root, 'var/www', name, '.deploy_config'),
    `${JSON.stringify({ name, ports: [first, first + 1], domain: null, created: '2025-03-14T09:15:00.000Z', release: null })}\n`,
  );
}

describe('cinectl --root $TMP set-domain', () => {
  const root = makeRoot();
  registerApp(root, 'movies', 8001);
  registerApp(root, 'second', 8013);
  afterAll(() => removeRoot(root));
  const at = (path: string) => join(root, path);
  const LOG = 'var/log/cinectl.log';

  it.each([
    [
      '-a.com',
      /^cinectl: domain "-a\.com" has a label that starts or ends with "-" \("-a"\) — hint: e\.g\. films\.example\.com$/,
    ],
    ['a..com', /^cinectl: domain "a\.\.com" has an empty label/],
    ['a.com;reboot', /^cinectl: domain "a\.com;reboot" may contain only letters, digits, "-" and dots/],
    ['*.a.com', /^cinectl: domain "\*\.a\.com" is a wildcard — hint: add --wildcard/],
    [
      `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.com`,
      /is 308 characters long; a domain has at most 253/,
    ],
    ['ФІЛЬМИ.укр', /^cinectl: domain "ФІЛЬМИ\.укр" has uppercase letters — hint: write it in lowercase: фільми\.укр$/],
  ])('refuses %j with exit 2, one line, and no file changed', async (domain, message) => {
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'set-domain', '--', domain, 'movies']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd()).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    expect(treeHash(root)).toBe(before);
  });

  it('needs the app named when there is more than one, and lists them', async () => {
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'set-domain', 'movies.test']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'cinectl: there are 2 apps, so set-domain needs to know which one serves movies.test — hint: name it: cinectl set-domain movies.test APP (apps: movies, second)\n',
    );
    const unknown = await cinectl(['--root', root, 'set-domain', 'movies.test', 'other']);
    expect(unknown.stderr).toBe('cinectl: there is no app named "other" — hint: apps on this host: movies, second\n');
    expect(treeHash(root)).toBe(before);
  });

  it('a dry run shows the plan and changes nothing', async () => {
    const before = treeHash(root);
    const result = await cinectl(['--root', root, '--dry-run', 'set-domain', 'movies.test', 'movies']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`    $ openssl req -x509 -newkey ec`);
    expect(result.stdout).toMatch(/\+ {4}listen 443 ssl(?: http2)?;\n/);
    expect(treeHash(root)).toBe(before);
  });

  it('gives the app the domain: registry, placeholder (key 0600 in a 0700 directory), nginx; then converges', async () => {
    const result = await cinectl(['--root', root, 'set-domain', 'movies.test', 'movies']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Serve movies at movies\.test: 6 changed, 0 unchanged\n/);
    expect(JSON.parse(readFileSync(at('var/www/movies/.deploy_config'), 'utf8')).domain).toBe('movies.test');
    expect(lstatSync(at('etc/cinectl/tls/movies.test')).mode & 0o777).toBe(0o700);
    expect(lstatSync(at('etc/cinectl/tls/movies.test/privkey.pem')).mode & 0o777).toBe(0o600);
    const conf = readFileSync(at('etc/nginx/cinectl/app-movies.conf'), 'utf8');
    expect(conf).toContain(`ssl_certificate ${root}/etc/cinectl/tls/movies.test/fullchain.pem;`);
    expect(conf).toContain(`root ${root}/var/lib/cinectl/acme;`);
    expect(conf).not.toContain('default_server');

    const before = treeHash(root, { ignore: [LOG] });
    const again = await cinectl(['--root', root, 'set-domain', 'movies.test', 'movies']);
    expect(again.stdout).toMatch(/Serve movies at movies\.test: 0 changed, 6 unchanged\n/);
    expect(treeHash(root, { ignore: [LOG] })).toBe(before);
  });

  it('refuses a domain another app already has', async () => {
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'set-domain', 'movies.test', 'second']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^cinectl: movies\.test is already the domain of the app movies — hint: /);
    expect(treeHash(root)).toBe(before);
  });

  it("removing another app leaves this app's HTTPS server as it was", async () => {
    const conf = readFileSync(at('etc/nginx/cinectl/app-movies.conf'), 'utf8');
    const removed = await cinectl(['--root', root, 'remove-app', 'second']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(readFileSync(at('etc/nginx/cinectl/app-movies.conf'), 'utf8')).toBe(conf);
  });

  it('status names the placeholder and the next step', async () => {
    const result = await cinectl(['--root', root, 'status']);
    expect(result.stdout).toContain(
      '  domain movies.test, self-signed placeholder only: run cinectl install-ssl movies.test\n',
    );
  });
});

describe('cinectl --root $TMP set-domain with a long domain', () => {
  const root = makeRoot();
  registerApp(root, 'movies', 8001);
  afterAll(() => removeRoot(root));
  const domain = `${'a'.repeat(40)}.${'b'.repeat(35)}.test`;
  const registered = () => JSON.parse(readFileSync(join(root, 'var/www/movies/.deploy_config'), 'utf8')).domain;

  it('leaves the app without the domain when nginx -t refuses it (a stock nginx.conf: names up to ~50 characters)', async () => {
    const result = await cinectl(['--root', root, 'set-domain', domain]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('nginx -t rejected the new configuration (could not build server_names_hash');
    expect(registered()).toBeNull();
  });

  it('makes the placeholder for a name longer than a certificate common name may be (64)', async () => {
    // What init-server's nginx.conf has, so that long names fit nginx's server name hash.
    const conf = join(root, 'etc/nginx/nginx.conf');
    writeFileSync(conf, readFileSync(conf, 'utf8').replace('http {', 'http {\n    server_names_hash_bucket_size 128;'));
    const result = await cinectl(['--root', root, 'set-domain', domain]);
    expect(result.exitCode, result.stderr).toBe(0);
    const pem = readFileSync(join(root, `etc/cinectl/tls/${domain}/fullchain.pem`), 'utf8');
    expect(new X509Certificate(pem).subjectAltName).toBe(`DNS:${domain}`);
    expect(registered()).toBe(domain);
  });
});

describe('cinectl set-domain with a broken app on the host', () => {
  const root = makeRoot();
  registerApp(root, 'movies', 8001);
  mkdirSync(join(root, 'var/www/broken'), { recursive: true });
  writeFileSync(join(root, 'var/www/broken/.deploy_config'), '{"name": "broken", "ports": [8013]\n');
  mkdirSync(join(root, 'etc/nginx/cinectl'), { recursive: true });
  writeFileSync(join(root, 'etc/nginx/cinectl/app-broken.conf'), '# the nginx file of the broken app\n');
  afterAll(() => removeRoot(root));

  it('refuses the broken app, naming its file and what to fix', async () => {
    const before = treeHash(root);
    const result = await cinectl(['--root', root, 'set-domain', 'movies.test', 'broken']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      'cinectl: /var/www/broken/.deploy_config is not valid (not valid JSON) — hint: fix the file by hand; cinectl needs it to know which ports the app holds\n',
    );
    const unnamed = await cinectl(['--root', root, 'set-domain', 'movies.test']);
    expect(unnamed.stderr).toMatch(/there are 2 apps, .* \(apps: movies, broken \(broken\)\)\n$/);
    expect(treeHash(root)).toBe(before);
  });

  it('serves the other app, warns about the broken one and keeps its nginx file', async () => {
    const result = await cinectl(['--root', root, 'set-domain', 'movies.test', 'movies']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'warning: /var/www/broken/.deploy_config is not valid (not valid JSON); broken is left as it is — hint: fix the file by hand',
    );
    expect(JSON.parse(readFileSync(join(root, 'var/www/movies/.deploy_config'), 'utf8')).domain).toBe('movies.test');
    expect(readFileSync(join(root, 'etc/nginx/cinectl/app-broken.conf'), 'utf8')).toBe(
      '# the nginx file of the broken app\n',
    );
  });
});
