import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CinectlError } from '../errors.ts';
import { underRoot } from '../host/root.ts';
import { WWW_DIR } from '../plan/layout.ts';
import { type DeployConfig, parseDeployConfig } from './deploy-config.ts';

/** Every app on the host, found by its `/var/www/<app>/.deploy_config`, ordered by first port. */
export async function listApps(root: string): Promise<DeployConfig[]> {
  const www = underRoot(root, WWW_DIR);
  let entries: string[];
  try {
    entries = (await readdir(www, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const apps: DeployConfig[] = [];
  for (const dir of entries.sort()) {
    const file = join(www, dir, '.deploy_config');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const shown = `${WWW_DIR}/${dir}/.deploy_config`;
    const { config, errors } = parseDeployConfig(text);
    if (!config) {
      throw new CinectlError(`${shown} is not valid (${errors.join('; ')})`, {
        hint: 'fix the file by hand or move it away; cinectl needs it to know which ports the app holds',
      });
    }
    if (config.name !== dir) {
      throw new CinectlError(`${shown} names the app "${config.name}" but lives in ${WWW_DIR}/${dir}`, {
        hint: 'make the "name" field match the directory name',
      });
    }
    apps.push(config);
  }
  return apps.sort((a, b) => Math.min(...a.ports) - Math.min(...b.ports));
}

export async function findApp(root: string, name: string): Promise<DeployConfig | undefined> {
  return (await listApps(root)).find((app) => app.name === name);
}
