import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CinectlError } from '../errors.ts';
import { readFileOrNull } from '../host/files.ts';
import { underRoot } from '../host/root.ts';
import { appPaths, DEPLOY_CONFIG_FILE, WWW_DIR } from '../plan/layout.ts';
import { type DeployConfig, parseDeployConfig } from './deploy-config.ts';
import { isPort } from './ports.ts';

/** An app directory whose `.deploy_config` cinectl cannot use: the app is left alone until the file is fixed. */
export interface BrokenApp {
  /** The directory under /var/www, which is also the name the app would have. */
  dir: string;
  /** Host path of the file. */
  file: string;
  /** What is wrong, as dot-path messages or one sentence. */
  problems: string[];
  /** What to do about it. */
  fix: string;
  /** The ports the file lists, as far as they can be read: a new app never gets them. */
  ports: number[];
}

export interface Registry {
  /** The usable apps, ordered by first port. */
  apps: DeployConfig[];
  /** The app directories whose `.deploy_config` is invalid, misnamed or a duplicate, ordered by directory. */
  broken: BrokenApp[];
}

async function appDirs(www: string): Promise<string[]> {
  try {
    const entries = await readdir(www, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The ports an unusable file lists, as far as they are port numbers. */
function readablePorts(text: string): number[] {
  try {
    const ports: unknown = (JSON.parse(text) as { ports?: unknown }).ports;
    return Array.isArray(ports) ? ports.filter(isPort) : [];
  } catch {
    return [];
  }
}

function broken(dir: string, problems: string[], fix: string, ports: number[]): BrokenApp {
  return { dir, file: appPaths(dir).deployConfig, problems, fix, ports };
}

/** One entry: a usable app, a broken one, or nothing when the directory has no `.deploy_config`. */
function entryOf(dir: string, text: string): DeployConfig | BrokenApp {
  const { config, errors } = parseDeployConfig(text);
  if (!config) {
    return broken(
      dir,
      errors,
      'fix the file by hand; cinectl needs it to know which ports the app holds',
      readablePorts(text),
    );
  }
  if (config.name !== dir) {
    return broken(
      dir,
      [`names the app "${config.name}" but lives in ${appPaths(dir).appDir}`],
      `if ${appPaths(dir).appDir} is a copy, move it out of ${WWW_DIR}; otherwise make the "name" field match the directory name`,
      config.ports,
    );
  }
  return config;
}

function firstPort(app: DeployConfig): number {
  return Math.min(...app.ports);
}

/**
 * Of two apps holding the same port or domain (a copy of an app directory, edited), the one deployed first keeps
 * them and the other is broken.
 */
function withoutDuplicates(configs: DeployConfig[]): Registry {
  const byAge = [...configs].sort((a, b) => a.created.localeCompare(b.created) || a.name.localeCompare(b.name));
  const portHolder = new Map<number, string>();
  const domainHolder = new Map<string, string>();
  const apps: DeployConfig[] = [];
  const duplicates: BrokenApp[] = [];
  for (const app of byAge) {
    const problems = [
      ...app.ports.flatMap((port) => {
        const holder = portHolder.get(port);
        return holder === undefined ? [] : [`ports: ${port} is also a port of the app "${holder}"`];
      }),
      ...(app.domain && domainHolder.has(app.domain)
        ? [`domain: ${app.domain} is also the domain of the app "${domainHolder.get(app.domain)}"`]
        : []),
    ];
    if (problems.length > 0) {
      duplicates.push(
        broken(
          app.name,
          problems,
          `if ${appPaths(app.name).appDir} is a copy, move it out of ${WWW_DIR}; otherwise give it ports and a domain no other app has`,
          app.ports,
        ),
      );
      continue;
    }
    for (const port of app.ports) portHolder.set(port, app.name);
    if (app.domain) domainHolder.set(app.domain, app.name);
    apps.push(app);
  }
  return { apps: apps.sort((a, b) => firstPort(a) - firstPort(b)), broken: duplicates };
}

/**
 * Every app directory on the host, found by its `/var/www/<app>/.deploy_config`: the usable apps ordered by first
 * port, and the broken entries with what is wrong, so that one bad directory never stops work on the others.
 */
export async function readRegistry(root: string): Promise<Registry> {
  const www = underRoot(root, WWW_DIR);
  const configs: DeployConfig[] = [];
  const invalid: BrokenApp[] = [];
  for (const dir of (await appDirs(www)).sort()) {
    const text = await readFileOrNull(join(www, dir, DEPLOY_CONFIG_FILE));
    if (text === null) continue;
    const entry = entryOf(dir, text);
    if ('problems' in entry) invalid.push(entry);
    else configs.push(entry);
  }
  const { apps, broken: duplicates } = withoutDuplicates(configs);
  return { apps, broken: [...invalid, ...duplicates].sort((a, b) => a.dir.localeCompare(b.dir)) };
}

/** The usable apps, ordered by first port. */
export async function listApps(root: string): Promise<DeployConfig[]> {
  return (await readRegistry(root)).apps;
}

export async function findApp(root: string, name: string): Promise<DeployConfig | undefined> {
  return (await listApps(root)).find((app) => app.name === name);
}

/** One line on what is wrong with a broken entry. */
export function describeBroken(entry: BrokenApp): string {
  return `${entry.file} is not valid (${entry.problems.join('; ')})`;
}

/** The refusal of a command asked to act on a broken app: names the file, what is wrong and what to fix. */
export function brokenAppError(entry: BrokenApp): CinectlError {
  return new CinectlError(describeBroken(entry), { hint: entry.fix });
}
