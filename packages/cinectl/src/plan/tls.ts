import { LETSENCRYPT_DIR, PLACEHOLDER_DIR } from './layout.ts';
/**
 * Where a domain's TLS files live on the host, and the Mozilla "intermediate" profile cinectl serves them with.
 * Every path here is a host path; --root prefixes them.
 */

export const ACME_CHALLENGE_PATH = '/.well-known/acme-challenge/';
export const LETSENCRYPT_LIVE = `${LETSENCRYPT_DIR}/live`;
export const DEPLOY_HOOK = `${LETSENCRYPT_DIR}/renewal-hooks/deploy/cinectl-reload-nginx`;
export const RENEW_SERVICE = 'certbot-renew.service';
export const RENEW_TIMER = 'certbot-renew.timer';
/** Days the placeholder is valid: it only keeps nginx's HTTPS server loadable until install-ssl runs. */
export const PLACEHOLDER_DAYS = 3650;

export interface TlsFiles {
  certificate: string;
  key: string;
}

/**
 * The directory name of a domain's certificate: the domain itself, `_wildcard.example.com` for `*.example.com`
 * (no valid host name starts with "_", so it never collides with a real one).
 */
export function certificateName(domain: string): string {
  return domain.startsWith('*.') ? `_wildcard.${domain.slice(2)}` : domain;
}

/** certbot's lineage: `fullchain.pem` and `privkey.pem` in `/etc/letsencrypt/live/<name>/`. */
export function issuedFiles(domain: string): TlsFiles {
  const dir = `${LETSENCRYPT_LIVE}/${certificateName(domain)}`;
  return { certificate: `${dir}/fullchain.pem`, key: `${dir}/privkey.pem` };
}

/** certbot's renewal settings of a lineage: among them `server =`, the CA it renews with. */
export function renewalConfPath(domain: string): string {
  return `${LETSENCRYPT_DIR}/renewal/${certificateName(domain)}.conf`;
}

/** The leaf certificate alone, for reading its expiry. */
export function issuedLeaf(domain: string): string {
  return `${LETSENCRYPT_LIVE}/${certificateName(domain)}/cert.pem`;
}

export function placeholderDir(domain: string): string {
  return `${PLACEHOLDER_DIR}/${certificateName(domain)}`;
}

export function placeholderFiles(domain: string): TlsFiles {
  const dir = placeholderDir(domain);
  return { certificate: `${dir}/fullchain.pem`, key: `${dir}/privkey.pem` };
}

/** Mozilla's "intermediate" configuration (TLS 1.2 and 1.3, forward-secret AEAD ciphers only). */
export const TLS_PROTOCOLS = ['TLSv1.2', 'TLSv1.3'];
export const TLS_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];
/** Two years, as Mozilla and the HSTS preload list ask. */
export const HSTS_MAX_AGE = 63_072_000;
