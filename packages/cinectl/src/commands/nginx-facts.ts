import { existsSync, readFileSync } from 'node:fs';
import { CinectlError, InternalError } from '../errors.ts';
import { readHostFile } from '../host/facts.ts';
import { type HostIO, realHostIO } from '../host/io.ts';
import { underRoot } from '../host/root.ts';
import { nginxVersionArgv } from '../plan/argv.ts';
import { ACME_WEBROOT, NGINX_CACHE_DIR, NGINX_CONF, PROC_IF_INET6 } from '../plan/layout.ts';
import { appConfFile, type DomainTls, type NginxApp, type NginxHost } from '../plan/nginx.ts';
import { issuedFiles, placeholderFiles } from '../plan/tls.ts';
import type { DeployConfig } from '../state/deploy-config.ts';
import type { BrokenApp } from '../state/registry.ts';

/** nginx.conf as it is now, or a clear error when nginx is not set up. */
export async function requireNginxConf(root: string): Promise<string> {
  const conf = await readHostFile(root, NGINX_CONF);
  if (conf === null) {
    throw new CinectlError(`nginx is not set up: ${NGINX_CONF} does not exist${root === '/' ? '' : ` under ${root}`}`, {
      hint: 'install nginx first (cinectl init-server); for a --root tree, put an nginx.conf there',
    });
  }
  return conf;
}

/**
 * A host path as written into the nginx config. Under --root it is the root's own file, so that `nginx -t` on the
 * tree never reads or creates anything on this machine.
 */
function asConfigured(root: string, hostPath: string): string {
  return root === '/' ? hostPath : underRoot(root, hostPath);
}

/** Whether this machine has IPv6 (an address in /proc/net/if_inet6): then nginx can listen on [::]. */
function hasIpv6(): boolean {
  try {
    return readFileSync(PROC_IF_INET6, 'utf8').trim() !== '';
  } catch {
    return false;
  }
}

/**
 * What cinectl's nginx files depend on besides the apps: the microcache directory (the root's own under --root),
 * IPv6, and the HTTP/2 syntax of the installed nginx. Under --root these are this machine's, whose nginx tests them.
 * The nginx files of broken apps are kept as they are.
 */
export function nginxHost(root: string, broken: readonly BrokenApp[] = [], io: HostIO = realHostIO): NginxHost {
  return {
    cacheDir: asConfigured(root, NGINX_CACHE_DIR),
    ipv6: hasIpv6(),
    http2Directive: hasHttp2Directive(nginxVersionOutput(io)),
    ...(broken.length > 0 ? { keptFiles: broken.map((entry) => appConfFile(entry.dir)) } : {}),
  };
}

/** Whether the CA-issued certificate of a domain is on the host (certbot's `live/<domain>/fullchain.pem`). */
export function hasIssuedCertificate(root: string, domain: string): boolean {
  return existsSync(underRoot(root, issuedFiles(domain).certificate));
}

/**
 * Whether the nginx of this `nginx -v` output takes `http2 on;` (1.25.1 and later, which warn about the older
 * `listen … http2`). An nginx that cannot be asked (not installed yet) counts as current: Arch ships a current one.
 */
export function hasHttp2Directive(versionOutput: string | null): boolean {
  const version = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(versionOutput ?? '');
  if (!version) return true;
  const [major, minor, patch] = version.slice(1).map(Number) as [number, number, number];
  return major > 1 || (major === 1 && (minor > 25 || (minor === 25 && patch >= 1)));
}

const nginxVersions = new WeakMap<HostIO, string | null>();

/**
 * `nginx -v` of the nginx that tests and serves the files (the same binary under --root), asked once; null when
 * there is no nginx to ask.
 */
export function nginxVersionOutput(io: HostIO): string | null {
  let version = nginxVersions.get(io);
  if (version === undefined) {
    const result = io.execSync(nginxVersionArgv(), { timeoutMs: 5_000 });
    version = result.failure === undefined ? `${result.stderr}${result.stdout}` : null;
    nginxVersions.set(io, version);
  }
  return version;
}

/**
 * The HTTPS files of a domain as the host has them: the CA-issued certificate once it exists, else cinectl's
 * self-signed placeholder. `issued` overrides the fact for a plan that obtains the certificate before nginx.
 */
export function domainTls(root: string, domain: string, issued = hasIssuedCertificate(root, domain)): DomainTls {
  const files = issued ? issuedFiles(domain) : placeholderFiles(domain);
  return {
    certificate: asConfigured(root, files.certificate),
    key: asConfigured(root, files.key),
    issued,
    acmeWebroot: asConfigured(root, ACME_WEBROOT),
  };
}

/**
 * An app's nginx view, its domain's HTTPS state read from the host, so every command renders the same files.
 * `issued` overrides that fact for a plan that obtains the certificate before nginx is changed.
 */
export function nginxAppOf(
  root: string,
  app: Pick<DeployConfig, 'name' | 'ports' | 'domain'>,
  issued?: boolean,
): NginxApp {
  if (!app.domain) return { name: app.name, ports: app.ports };
  return { name: app.name, ports: app.ports, domain: app.domain, tls: domainTls(root, app.domain, issued) };
}

export function nginxAppsOf(
  root: string,
  apps: readonly Pick<DeployConfig, 'name' | 'ports' | 'domain'>[],
): NginxApp[] {
  return apps.map((app) => nginxAppOf(root, app));
}

/**
 * Plan builders throw a CinectlError for a host they cannot work with (e.g. nginx.conf without http { }) and an
 * InternalError for a broken promise of cinectl's own; anything else is said as a problem of the host's files.
 */
export function asHostError(error: unknown, hint: string): never {
  if (error instanceof CinectlError || error instanceof InternalError) throw error;
  throw new CinectlError(error instanceof Error ? error.message : String(error), { hint, cause: error });
}
