import { CinectlError } from '../errors.ts';
import { NGINX_CACHE_PARENT, NGINX_CONF, NGINX_INCLUDE_DIR } from './layout.ts';
import { httpLevelTlsDirectives, type NginxApp, type NginxHost, nginxFiles, withCinectlInclude } from './nginx.ts';
import type { MkdirStep, NginxStep } from './types.ts';
import { ROOT_OWNER } from './types.ts';

export interface NginxSite {
  /** Every app that stays on the host after this plan, in any order. */
  apps: NginxApp[];
  /** nginx.conf as it is now. */
  nginxConf: string;
  /** The host's facts: microcache directory (under the root for --root trees, see docs/SITES.md), IPv6, HTTP/2. */
  host: NginxHost;
}

/** The microcache's parent: nginx creates the cache directory itself (owned by its worker user) inside it. */
export function nginxCacheParentStep(): MkdirStep {
  return {
    kind: 'mkdir',
    title: `Create ${NGINX_CACHE_PARENT} for nginx's microcache`,
    path: NGINX_CACHE_PARENT,
    mode: 0o755,
    owner: ROOT_OWNER,
  };
}

/** All of cinectl's nginx files for these apps, tested with `nginx -t` before they go live. */
export function nginxStep(site: NginxSite, title = 'Update nginx (test with nginx -t, then reload)'): NginxStep {
  const layout = { includeDir: NGINX_INCLUDE_DIR, ...site.host };
  const files = nginxFiles(site.apps, layout);
  const clashing = files.has(`${NGINX_INCLUDE_DIR}/tls.conf`) ? httpLevelTlsDirectives(site.nginxConf) : [];
  if (clashing.length > 0) {
    throw new CinectlError(
      `${NGINX_CONF} sets ${[...new Set(clashing)].join(', ')} for all of http { }, where cinectl's TLS profile (${NGINX_INCLUDE_DIR}/tls.conf) sets them`,
      { hint: `remove those lines from ${NGINX_CONF} and run the command again` },
    );
  }
  const keep = (site.host.keptFiles ?? [])
    .map((file) => `${NGINX_INCLUDE_DIR}/${file}`)
    .filter((file) => !files.has(file));
  return {
    kind: 'nginx',
    title,
    confPath: NGINX_CONF,
    conf: withCinectlInclude(site.nginxConf, layout),
    includeDir: NGINX_INCLUDE_DIR,
    files,
    ...(keep.length > 0 ? { keep } : {}),
  };
}
