import {
  ACME_WEBROOT,
  LETSENCRYPT_DIR,
  LETSENCRYPT_LOG_DIR,
  LETSENCRYPT_WORK_DIR,
  NGINX_CONF,
  NGINX_UNIT,
} from './layout.ts';
import { certificateName, RENEW_TIMER } from './tls.ts';
import { type Arg, hostPath } from './types.ts';

/**
 * certbot command lines. On a --root tree certbot keeps its account, certificates, work files and logs in that
 * tree (the way pacman gets --root), so the same plan runs on a host and on a throwaway root.
 */

export const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';
export const LETS_ENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

function certbotRootOptions(root: string): Arg[] {
  if (root === '/') return [];
  return [
    '--config-dir',
    hostPath(LETSENCRYPT_DIR),
    '--work-dir',
    hostPath(LETSENCRYPT_WORK_DIR),
    '--logs-dir',
    hostPath(LETSENCRYPT_LOG_DIR),
  ];
}

export interface CertificateRequest {
  domain: string;
  /** The account's contact address at the CA; without it certbot registers without one. */
  email?: string;
  /** Let's Encrypt's staging CA. */
  staging?: boolean;
  /** Another CA's ACME directory URL. */
  server?: string;
}

/**
 * `certbot certonly --webroot`: certbot writes the challenge into cinectl's webroot, which port 80 of the domain
 * serves, so nginx keeps serving visitors meanwhile. The lineage is named after the domain so renewals keep the
 * paths nginx loads.
 */
export function certbotCertonly(request: CertificateRequest, root: string): Arg[] {
  const ca = request.server ? ['--server', request.server] : request.staging ? ['--server', LETS_ENCRYPT_STAGING] : [];
  // One argument with "=": an address that starts with "-" is never taken for an option.
  const contact = request.email
    ? [`--email=${request.email}`, '--no-eff-email']
    : ['--register-unsafely-without-email'];
  return [
    'certbot',
    'certonly',
    ...certbotRootOptions(root),
    '--webroot',
    '-w',
    hostPath(ACME_WEBROOT),
    '-d',
    request.domain,
    '--cert-name',
    certificateName(request.domain),
    '--non-interactive',
    '--agree-tos',
    ...contact,
    ...ca,
  ];
}

/**
 * What the renewal deploy hook runs: systemd's reload of nginx on a host; on a --root tree, a signal to the nginx
 * started from that tree's nginx.conf (its pid file), so a test can run the tree's configuration and watch it reload.
 */
export function hookReloadArgv(root: string): string[] {
  if (root === '/') return ['systemctl', 'reload', NGINX_UNIT];
  return ['nginx', '-s', 'reload', '-c', `${root}${NGINX_CONF}`];
}

/** When the renewal timer last fired (`systemctl show`); needs the running systemd, so not under --root. */
export function timerLastRunArgv(root: string): string[] | null {
  if (root !== '/') return null;
  return ['systemctl', 'show', RENEW_TIMER, '--property=LastTriggerUSec', '--value'];
}

/** The ACME directory a request goes to. */
export function requestedCa(request: CertificateRequest): string {
  return request.server ?? (request.staging ? LETS_ENCRYPT_STAGING : LETS_ENCRYPT);
}

/** The CA a lineage renews with: `server = …` of its renewal file; certbot's default is Let's Encrypt. */
export function renewalCa(renewalConf: string): string {
  return /^\s*server\s*=\s*(\S+)\s*$/m.exec(renewalConf)?.[1] ?? LETS_ENCRYPT;
}
