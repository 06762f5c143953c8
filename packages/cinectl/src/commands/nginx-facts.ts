import { CinectlError } from '../errors.ts';
import { readHostFile } from '../host/facts.ts';
import { underRoot } from '../host/root.ts';
import { NGINX_CACHE_DIR, NGINX_CONF } from '../plan/layout.ts';
import type { NginxApp } from '../plan/nginx.ts';
import type { DeployConfig } from '../state/deploy-config.ts';

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
 * The microcache directory written into the nginx config. Under --root it is the root's own
 * `/var/cache/nginx/cinectl`, so that `nginx -t` on the tree never creates directories on this machine.
 */
export function nginxCacheDir(root: string): string {
  return root === '/' ? NGINX_CACHE_DIR : underRoot(root, NGINX_CACHE_DIR);
}

export function asNginxApp(app: Pick<DeployConfig, 'name' | 'ports' | 'domain'>): NginxApp {
  return { name: app.name, ports: app.ports, ...(app.domain ? { domain: app.domain } : {}) };
}

/** Plan builders throw plain errors for configs they cannot work with (e.g. nginx.conf without http { }). */
export function asHostError(error: unknown, hint: string): never {
  if (error instanceof CinectlError) throw error;
  throw new CinectlError(error instanceof Error ? error.message : String(error), { hint, cause: error });
}
