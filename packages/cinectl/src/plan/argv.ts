import { NGINX_UNIT } from './layout.ts';
import type { Arg, HostPath, ServiceAction } from './types.ts';

/**
 * The argv arrays of the tools several builders share: systemctl, useradd/userdel, nginx, pnpm. A tool only one
 * builder uses has its argv there (plan/packages.ts pacman, plan/firewall.ts ufw, plan/certbot.ts, plan/mongo.ts
 * mongosh, plan/yay.ts). `root` is the --root directory ('/' for the real host): a command that can work on a root
 * gets the matching option; systemctl actions that need the running systemd return null, and their steps are skipped.
 */

const ON_ROOT_ACTIONS: ReadonlySet<ServiceAction> = new Set(['enable', 'disable']);

const rootOption = (root: string, option: (dir: string) => string[]): string[] => (root === '/' ? [] : option(root));

export function systemctl(action: ServiceAction, unit: string, root: string): string[] | null {
  if (root !== '/' && !ON_ROOT_ACTIONS.has(action)) return null;
  return ['systemctl', ...rootOption(root, (dir) => [`--root=${dir}`]), action, unit];
}

/** `is-enabled` works on a root; `is-active` asks the running systemd, so not under --root. */
export function systemctlQuery(query: 'is-enabled' | 'is-active', unit: string, root: string): string[] | null {
  if (root !== '/' && query === 'is-active') return null;
  return ['systemctl', ...rootOption(root, (dir) => [`--root=${dir}`]), query, unit];
}

/** Properties of a unit as `NAME=value` lines, timestamps in UTC with microseconds. Asks the running systemd. */
export function systemctlShow(unit: string, properties: readonly string[]): string[] {
  return ['systemctl', 'show', '--timestamp=us+utc', `--property=${properties.join(',')}`, unit];
}

export function daemonReload(): string[] {
  return ['systemctl', 'daemon-reload'];
}

export function useradd(user: { name: string; home: string; shell: string }, root: string): string[] {
  return [
    'useradd',
    ...rootOption(root, (dir) => ['--prefix', dir]),
    '--system',
    '--user-group',
    '--home-dir',
    user.home,
    '--no-create-home',
    '--shell',
    user.shell,
    user.name,
  ];
}

export function userdel(name: string, root: string): string[] {
  return ['userdel', ...rootOption(root, (dir) => ['--prefix', dir]), name];
}

/** `nginx -t` on the given nginx.conf (its directory is nginx's conf prefix, so relative includes resolve). */
export function nginxTest(confPathOnDisk: string): string[] {
  return ['nginx', '-t', '-q', '-c', confPathOnDisk];
}

/** `nginx -v`: the version, on stderr, decides the HTTP/2 syntax (commands/nginx-facts.ts). */
export function nginxVersionArgv(): string[] {
  return ['nginx', '-v'];
}

export function nginxReload(): string[] {
  return ['systemctl', 'reload', NGINX_UNIT];
}

export const WEB_PACKAGE = '@cinestream/web';

/** The web package's dependencies and its workspace dependencies' exactly as locked, from pnpm's store if there. */
export function webInstall(): Arg[] {
  return ['pnpm', '--filter', `${WEB_PACKAGE}...`, 'install', '--frozen-lockfile', '--prefer-offline'];
}

export function webBuild(): Arg[] {
  return ['pnpm', '--filter', WEB_PACKAGE, 'build'];
}

/** The built package and its production dependencies in `target` (no workspace links, hence --legacy). */
export function webDeploy(target: HostPath): Arg[] {
  return ['pnpm', '--filter', WEB_PACKAGE, 'deploy', '--prod', '--legacy', target];
}

/** A gzipped tar of `name` in `parent` (an app's data directory, its workers stopped), written to `archive`. */
export function tarCreate(archive: HostPath, parent: HostPath, name: string): Arg[] {
  return ['tar', '--create', '--gzip', '--file', archive, '--directory', parent, name];
}
