import type { Request } from 'express';

const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The site's origin for absolute links: PUBLIC_URL when set, else the request's scheme and host (as the proxy
 * forwards them, when TRUST_PROXY trusts it). A Host that is not a host name never reaches a page.
 */
export function siteOrigin(publicUrl: string | undefined): (req: Request) => string {
  if (publicUrl) return () => publicUrl;
  return (req) => {
    const host = req.host ?? '';
    return `${req.protocol}://${HOST.test(host) ? host.toLowerCase() : 'localhost'}`;
  };
}
