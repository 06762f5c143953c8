import { certificateName } from '../plan/tls.ts';
import { isWildcard } from '../state/domain.ts';

/** How a domain gets its CA-issued certificate: install-ssl, or for a wildcard a certbot DNS plugin. */
export function certificateNextStep(domain: string): string {
  if (!isWildcard(domain)) return `run cinectl install-ssl ${domain}`;
  return `get its certificate with a certbot DNS plugin and --cert-name ${certificateName(domain)} (docs/DOMAINS.md); install-ssl answers over HTTP, which cannot prove a wildcard`;
}

/** A domain no app serves any more keeps its certbot lineage, whose renewals then fail at the HTTP challenge. */
export function leftoverCertificateWarning(domain: string): string {
  const name = certificateName(domain);
  return `warning: nginx no longer serves ${domain}, so certbot's renewals of its certificate will fail; if you do not need it any more: certbot delete --cert-name ${name}`;
}
