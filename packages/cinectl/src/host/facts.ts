import { access, readdir, readFile, readlink } from 'node:fs/promises';
import { UNIT_DIRS } from '../plan/layout.ts';
import { underRoot } from './root.ts';

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A file's text, or null when it does not exist. */
export async function readHostFile(root: string, path: string): Promise<string | null> {
  try {
    return await readFile(underRoot(root, path), 'utf8');
  } catch (error) {
    if (missing(error)) return null;
    throw error;
  }
}

/** A symlink's text, or null when there is no link. */
export async function readHostLink(root: string, path: string): Promise<string | null> {
  try {
    return await readlink(underRoot(root, path));
  } catch (error) {
    if (missing(error) || (error as NodeJS.ErrnoException).code === 'EINVAL') return null;
    throw error;
  }
}

export async function listHostDir(root: string, path: string): Promise<string[]> {
  try {
    return await readdir(underRoot(root, path));
  } catch (error) {
    if (missing(error)) return [];
    throw error;
  }
}

export async function hostPathExists(root: string, path: string): Promise<boolean> {
  return access(underRoot(root, path)).then(
    () => true,
    () => false,
  );
}

/** Whether a unit file for `unit` is installed (admin or package directory). */
export async function unitInstalled(root: string, unit: string): Promise<boolean> {
  for (const dir of UNIT_DIRS) if (await hostPathExists(root, `${dir}/${unit}`)) return true;
  return false;
}
