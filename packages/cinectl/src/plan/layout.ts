/**
 * Where things live on the target host (CachyOS/Arch): every host path cinectl uses is named here, and --root
 * prefixes them all except this machine's kernel facts (/proc), which are read as they are.
 */

export const WWW_DIR = '/var/www';
export const DATA_ROOT = '/var/lib';
export const SYSTEMD_DIR = '/etc/systemd/system';
export const NGINX_CONF = '/etc/nginx/nginx.conf';
export const NGINX_INCLUDE_DIR = 'cinectl';
export const NGINX_CACHE_PARENT = '/var/cache/nginx';
export const NGINX_CACHE_DIR = `${NGINX_CACHE_PARENT}/cinectl`;
export const LOG_FILE = '/var/log/cinectl.log';
/** nginx's own logs as Arch's nginx.conf has them: every app's requests and errors. */
export const NGINX_LOGS = ['/var/log/nginx/access.log', '/var/log/nginx/error.log'];
/** Written by `init-server` when MongoDB is set up: host, port and the admin account (state/mongo-config.ts), mode 0600. */
export const MONGO_CONFIG = '/etc/cinectl/mongo.json';
/** mongod's configuration as the mongodb-bin package installs it (its unit starts `mongod --config` on it). */
export const MONGOD_CONFIG = '/etc/mongodb.conf';
export const NODE_PATH = '/usr/bin/node';
export const NOLOGIN_SHELL = '/usr/bin/nologin';
export const MONGODB_UNIT = 'mongodb.service';
export const NGINX_UNIT = 'nginx.service';
export const UNIT_DIRS = [SYSTEMD_DIR, '/usr/lib/systemd/system', '/lib/systemd/system'];

// TLS: certbot and cinectl's placeholders (plan/tls.ts)
/** certbot's webroot: the ACME challenge files it writes here are served on port 80 of every domain. */
export const ACME_WEBROOT = '/var/lib/cinectl/acme';
/** cinectl's self-signed placeholders, one directory per domain, until a CA-issued certificate exists. */
export const PLACEHOLDER_DIR = '/etc/cinectl/tls';
export const LETSENCRYPT_DIR = '/etc/letsencrypt';
export const LETSENCRYPT_WORK_DIR = '/var/lib/letsencrypt';
export const LETSENCRYPT_LOG_DIR = '/var/log/letsencrypt';
export const CERTBOT_BINARY = '/usr/bin/certbot';

// MongoDB: backups and the admin's dump settings (plan/mongo.ts)
/** Where uninit-server's backups go: one directory per run, one archive per app database. */
export const BACKUP_ROOT = '/var/backups/cinestream';
/** mongodump reads the admin password from this file (mode 0600) while it runs; removed right after. */
export const MONGODUMP_CONFIG = '/etc/cinectl/mongodump.yaml';

// AUR builds (plan/yay.ts)
export const BUILD_HOME = '/var/lib/cinectl-build';
export const AUR_PARENT = '/var/cache/cinectl';
/** One build directory per builder below it (clones and build trees; yay's --builddir). */
export const AUR_DIR = `${AUR_PARENT}/aur`;
export const SUDOERS_FILE = '/etc/sudoers.d/cinectl-build';

// The host's own files cinectl reads
export const PASSWD_FILE = '/etc/passwd';
export const GROUP_FILE = '/etc/group';
export const RESOLV_CONF = '/etc/resolv.conf';
export const OS_RELEASE = '/etc/os-release';
export const PACMAN_CONF = '/etc/pacman.conf';
export const PACMAN_DB = '/var/lib/pacman';
/** The run lock of the real host (a --root tree's lock is in the temp directory: host/run-lock.ts). */
export const RUN_LOCK = '/run/cinectl.lock';

// This machine's kernel facts: read as they are, never under --root
export const PROC_MEMINFO = '/proc/meminfo';
export const PROC_IF_INET6 = '/proc/net/if_inet6';

/** Release directories are UTC timestamps: `20250314T091500Z`. */
export const RELEASE_NAME = /^\d{8}T\d{6}Z(-\d+)?$/;
export const KEPT_RELEASES = 5;
export const FINGERPRINT_FILE = '.source-fingerprint';
/**
 * What a release is built from, relative to the checkout: fingerprinted (a change makes a new release) and copied
 * into the build copy, without the directories named in BUILD_SKIPPED_DIRS at any depth.
 */
export const BUILD_INPUTS = [
  'package.json',
  'pnpm-lock.yaml',
  'pnpm-workspace.yaml',
  'tsconfig.base.json',
  // The web build copies the API's description into its dist.
  'docs/openapi.yaml',
  'packages/web',
  'packages/redact',
];
export const BUILD_SKIPPED_DIRS = ['node_modules', 'dist', 'data', 'test', 'test-results', 'bench', 'bench-results'];
/** The registry entry of an app, in its directory (state/deploy-config.ts). */
export const DEPLOY_CONFIG_FILE = '.deploy_config';

export interface AppPaths {
  appDir: string;
  releasesDir: string;
  current: string;
  envFile: string;
  /** The operator's own settings for the site, kept across deploys and backed up by uninit-server. */
  siteEnv: string;
  deployConfig: string;
  /** Each release's commit and build time, and when releases went live (state/release-history.ts). */
  releaseHistory: string;
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
    siteEnv: `${appDir}/site.env`,
    deployConfig: `${appDir}/${DEPLOY_CONFIG_FILE}`,
    releaseHistory: `${appDir}/.release_history.json`,
    dataDir: `${DATA_ROOT}/${app}`,
    unitFile: `${SYSTEMD_DIR}/${app}@.service`,
  };
}

export function dropInDir(app: string, port: number): string {
  return `${SYSTEMD_DIR}/${app}@${port}.service.d`;
}
