import { CinectlError, InternalError } from '../errors.ts';
import { render } from '../render.ts';
import { appNameProblem } from '../state/app-name.ts';
import { isDomain } from '../state/domain.ts';
import { isPort, MAX_PORT, MIN_PORT } from '../state/ports.ts';
import { NGINX_CACHE_DIR, NGINX_INCLUDE_DIR } from './layout.ts';
import { HSTS_MAX_AGE, TLS_CIPHERS, TLS_PROTOCOLS } from './tls.ts';

export interface NginxApp {
  name: string;
  ports: number[];
  domain?: string;
  /**
   * The HTTPS side of the domain. Commands always set it from the host's facts (commands/nginx-facts.ts); without
   * it a domain is served over plain HTTP only.
   */
  tls?: DomainTls;
}

/** Paths as the nginx that loads the files reads them (under the root for a --root tree). */
export interface DomainTls {
  certificate: string;
  key: string;
  /** A CA-issued certificate: port 80 then sends everything but ACME challenges to HTTPS, and HSTS is on. */
  issued: boolean;
  /** Where certbot puts the challenge files that port 80 serves. */
  acmeWebroot: string;
}

/** What the nginx files depend on besides the apps: the host's facts (commands/nginx-facts.ts nginxHost). */
export interface NginxHost {
  /** Absolute directory for the microcache (the root's own under --root). */
  cacheDir: string;
  /** The host has IPv6: every server listens on [::] too. */
  ipv6: boolean;
  /** nginx ≥ 1.25.1 turns HTTP/2 on with `http2 on;` and warns about `listen … http2` (which older ones need). */
  http2Directive: boolean;
  /**
   * Include files (`app-NAME.conf`) of apps whose `.deploy_config` is broken (state/registry.ts): left as they are,
   * so that a change to the other apps does not take those offline.
   */
  keptFiles?: readonly string[];
}

export interface NginxLayout extends NginxHost {
  /** cinectl's include directory, RELATIVE to the directory of nginx.conf, default 'cinectl'. */
  includeDir: string;
}

export const DEFAULT_NGINX_HOST: NginxHost = {
  cacheDir: NGINX_CACHE_DIR,
  ipv6: false,
  http2Directive: false,
};
export const DEFAULT_NGINX_LAYOUT: NginxLayout = { includeDir: NGINX_INCLUDE_DIR, ...DEFAULT_NGINX_HOST };

/** How long a rendered page is served from the microcache. */
export const MICROCACHE_SECONDS = 2;
/** Idle connections to an app's workers that each nginx worker keeps open. */
export const UPSTREAM_KEEPALIVE = 32;
const READ_TIMEOUT_SECONDS = 60;

const INCLUDE_DIR = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const CACHE_DIR = /^(\/[A-Za-z0-9._-]+)+$/;
const TLS_PATH = /^(\/[A-Za-z0-9._@+-]+)+$/;

/** Paths in nginx files come from the host layout and, under --root, from the root's own path. */
const ROOT_PATH_HINT =
  'nginx paths may hold only letters, digits and "._@+-": with --root, use a root directory whose path has no spaces or other characters';

function layoutOf(layout: Partial<NginxLayout> = {}): NginxLayout {
  const full = { ...DEFAULT_NGINX_LAYOUT, ...layout };
  if (!INCLUDE_DIR.test(full.includeDir) || full.includeDir.split('/').some((part) => part === '..' || part === '.')) {
    throw new InternalError(`nginx includeDir must be a relative folder like "cinectl" (got "${full.includeDir}")`);
  }
  if (!CACHE_DIR.test(full.cacheDir)) {
    throw new CinectlError(
      `nginx cacheDir must be an absolute folder like /var/cache/nginx/cinectl (got "${full.cacheDir}")`,
      { hint: ROOT_PATH_HINT },
    );
  }
  return full;
}

function checkApp(app: NginxApp): void {
  const nameProblem = appNameProblem(app.name);
  if (nameProblem !== undefined) {
    throw new InternalError(`app name "${app.name}" cannot go into an nginx config: it ${nameProblem}`);
  }
  if (app.ports.length === 0 || !app.ports.every(isPort)) {
    throw new InternalError(
      `app ${app.name} needs at least one port in ${MIN_PORT}–${MAX_PORT} (got [${app.ports.join(', ')}])`,
    );
  }
  if (app.domain !== undefined && !isDomain(app.domain)) {
    throw new InternalError(`app ${app.name}: "${app.domain}" is not a domain name like films.example.com`);
  }
  if (app.tls) {
    for (const path of [app.tls.certificate, app.tls.key, app.tls.acmeWebroot]) {
      if (!TLS_PATH.test(path)) {
        throw new CinectlError(`app ${app.name}: "${path}" cannot go into an nginx config as a path`, {
          hint: ROOT_PATH_HINT,
        });
      }
    }
  }
}

/** The include file of one app's upstream and servers. */
export function appConfFile(app: string): string {
  return `app-${app}.conf`;
}

/** The path of cinectl's include file `file`, relative to the nginx.conf directory. */
function inDir(layout: NginxLayout, file: string): string {
  return `${layout.includeDir}/${file}`;
}

/**
 * Every cinectl-owned nginx file for this set of apps: path relative to the nginx.conf directory → content.
 * Deterministic; apps are ordered by first port, the first one is the localhost default. An empty app list gives
 * an empty map: with no apps, cinectl's include directory holds no files.
 */
export function nginxFiles(apps: NginxApp[], layout?: Partial<NginxLayout>): Map<string, string> {
  const full = layoutOf(layout);
  const files = new Map<string, string>();
  if (apps.length === 0) return files;
  for (const app of apps) checkApp(app);
  const names = new Set(apps.map((app) => app.name));
  if (names.size !== apps.length) throw new InternalError('two apps have the same name');
  const domains = apps.flatMap((app) => (app.domain === undefined ? [] : [app.domain]));
  if (new Set(domains).size !== domains.length) throw new InternalError('two apps have the same domain');
  const ordered = apps
    .map((app) => ({ ...app, ports: [...app.ports].sort((a, b) => a - b) }))
    .sort((a, b) => (a.ports[0] ?? 0) - (b.ports[0] ?? 0));

  files.set(inDir(full, 'http.conf'), render('nginx/http.conf.hbs', { cacheDir: full.cacheDir }));
  files.set(
    inDir(full, 'proxy.inc'),
    render('nginx/proxy.inc.hbs', { cacheSeconds: MICROCACHE_SECONDS, readTimeoutSeconds: READ_TIMEOUT_SECONDS }),
  );
  files.set(
    inDir(full, 'localhost.conf'),
    render('nginx/localhost.conf.hbs', {
      includeDir: full.includeDir,
      ipv6: full.ipv6,
      defaultApp: ordered[0]?.name,
      apps: ordered.map((app) => ({ name: app.name })),
    }),
  );
  if (ordered.some((app) => app.domain !== undefined && app.tls !== undefined)) {
    files.set(
      inDir(full, 'tls.conf'),
      render('nginx/tls.conf.hbs', { protocols: TLS_PROTOCOLS.join(' '), ciphers: TLS_CIPHERS.join(':') }),
    );
    files.set(inDir(full, 'security-headers.inc'), render('nginx/security-headers.inc.hbs', {}));
  }
  for (const app of ordered) {
    files.set(
      inDir(full, appConfFile(app.name)),
      render('nginx/app.conf.hbs', {
        name: app.name,
        ports: app.ports,
        firstPort: app.ports[0],
        lastPort: app.ports.at(-1),
        keepalive: UPSTREAM_KEEPALIVE,
        domain: app.domain,
        tls: app.domain === undefined ? undefined : app.tls,
        hstsMaxAge: HSTS_MAX_AGE,
        includeDir: full.includeDir,
        ipv6: full.ipv6,
        http2Directive: full.http2Directive,
      }),
    );
  }
  return files;
}

/** The `include` line cinectl adds to nginx.conf's http block. */
export function cinectlIncludeLine(layout?: Partial<NginxLayout>): string {
  return `include ${layoutOf(layout).includeDir}/*.conf;`;
}

/** The text with comments and quoted strings blanked out, offsets kept, so a search only sees directives. */
function directivesOnly(text: string): string {
  let out = '';
  let quote: string | undefined;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (comment) {
      comment = char !== '\n';
      out += char === '\n' ? '\n' : ' ';
    } else if (quote) {
      if (char === '\\') {
        out += '  ';
        i++;
        continue;
      }
      if (char === quote) quote = undefined;
      out += char === '\n' ? '\n' : ' ';
    } else if (char === '#') {
      comment = true;
      out += ' ';
    } else if (char === '"' || char === "'") {
      quote = char;
      out += ' ';
    } else {
      out += char;
    }
  }
  return out;
}

/**
 * nginx.conf with cinectl's include line added once, as the first line inside `http { … }` (so cinectl's localhost
 * server comes before any other server named localhost); returned unchanged when the line is present.
 * Throws a CinectlError saying what to do when there is no http block.
 */
export function withCinectlInclude(nginxConf: string, layout?: Partial<NginxLayout>): string {
  const line = cinectlIncludeLine(layout);
  const code = directivesOnly(nginxConf);
  const pattern = line.replace(/[.*]/g, (char) => `\\${char}`).replace(/ /, '\\s+');
  if (new RegExp(`(^|[\\s;{}])${pattern}`).test(code)) return nginxConf;
  const http = /(^|[\s;{}])http\s*\{/.exec(code);
  if (!http) {
    throw new CinectlError(`nginx.conf has no http { … } block to add "${line}" to`, {
      hint: "restore the distribution's nginx.conf (or add an http block) and run the command again",
    });
  }
  const open = http.index + http[0].length;
  const after = nginxConf.slice(open);
  const indent = /\n([ \t]+)\S/.exec(after)?.[1] ?? '    ';
  return `${nginxConf.slice(0, open)}\n${indent}${line}${after.startsWith('\n') ? '' : '\n'}${after}`;
}

/** The TLS settings cinectl's tls.conf makes for the whole http block. */
const TLS_PROFILE_DIRECTIVE =
  /^ssl_(protocols|ciphers|prefer_server_ciphers|session_cache|session_timeout|session_tickets|stapling)$/;

/**
 * The TLS profile directives nginx.conf sets at the http level itself. nginx refuses most of them twice, but
 * merges two `ssl_protocols` lines into one list — which would quietly offer what cinectl's profile leaves out.
 */
export function httpLevelTlsDirectives(nginxConf: string): string[] {
  const found: string[] = [];
  const blocks: string[] = [];
  let statement = '';
  for (const char of directivesOnly(nginxConf)) {
    if (char === '{') {
      blocks.push(statement.trim().split(/\s+/)[0] ?? '');
      statement = '';
    } else if (char === '}') {
      blocks.pop();
      statement = '';
    } else if (char === ';') {
      const name = statement.trim().split(/\s+/)[0] ?? '';
      if (blocks.length === 1 && blocks[0] === 'http' && TLS_PROFILE_DIRECTIVE.test(name)) found.push(name);
      statement = '';
    } else {
      statement += char;
    }
  }
  return found;
}
