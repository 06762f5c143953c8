/** Where things live on the target host (CachyOS/Arch). Every path here is a host path; --root prefixes them. */

export const WWW_DIR = '/var/www';
export const DATA_ROOT = '/var/lib';
export const SYSTEMD_DIR = '/etc/systemd/system';
export const NGINX_CONF = '/etc/nginx/nginx.conf';
export const NGINX_INCLUDE_DIR = 'cinectl';
export const NGINX_CACHE_PARENT = '/var/cache/nginx';
export const NGINX_CACHE_DIR = '/var/cache/nginx/cinectl';
export const LOG_FILE = '/var/log/cinectl.log';
/** Written by `init-server` when MongoDB is set up: host, port and the admin account (state/mongo-config.ts), mode 0600. */
export const MONGO_CONFIG = '/etc/cinectl/mongo.json';
export const NODE_PATH = '/usr/bin/node';
export const NOLOGIN_SHELL = '/usr/bin/nologin';
export const MONGODB_UNIT = 'mongodb.service';
export const NGINX_UNIT = 'nginx.service';
export const UNIT_DIRS = ['/etc/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];

/** Release directories are UTC timestamps: `20250314T091500Z`. */
export const RELEASE_NAME = /^\d{8}T\d{6}Z(-\d+)?$/;
export const KEPT_RELEASES = 5;
export const FINGERPRINT_FILE = '.source-fingerprint';

export interface AppPaths {
  appDir: string;
  releasesDir: string;
  current: string;
  envFile: string;
  deployConfig: string;
  dataDir: string;
  unitFile: string;
}

export function appPaths(app: string): AppPaths {
  const appDir = `${WWW_DIR}/${app}`;
  return {
    appDir,
    releasesDir: `${appDir}/releases`,
    current: `${appDir}/current`,
    envFile: `${appDir}/.env`,
    deployConfig: `${appDir}/.deploy_config`,
    dataDir: `${DATA_ROOT}/${app}`,
    unitFile: `${SYSTEMD_DIR}/${app}@.service`,
  };
}

export function dropInDir(app: string, port: number): string {
  return `${SYSTEMD_DIR}/${app}@${port}.service.d`;
}
