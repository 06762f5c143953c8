import { readFile } from 'node:fs/promises';
import type { Owner } from '../plan/types.ts';
import { underRoot } from './root.ts';

/** name → numeric id from a passwd/group file (`name:x:id:…`); missing file → empty. */
async function readIds(root: string, file: string): Promise<Map<string, number>> {
  let text: string;
  try {
    text = await readFile(underRoot(root, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const ids = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id && /^\d+$/.test(id)) ids.set(name, Number(id));
  }
  return ids;
}

/**
 * Numeric ids of an owner from the root's own `/etc/passwd` and `/etc/group` (so `--root` trees get the ids their
 * accounts have there, not this machine's); undefined when the user or group does not exist (yet).
 */
export async function resolveOwner(root: string, owner: Owner): Promise<{ uid: number; gid: number } | undefined> {
  const uid = owner.user === 'root' ? 0 : (await readIds(root, '/etc/passwd')).get(owner.user);
  const gid = owner.group === 'root' ? 0 : (await readIds(root, '/etc/group')).get(owner.group);
  if (uid === undefined || gid === undefined) return undefined;
  return { uid, gid };
}

export async function userExists(root: string, user: string): Promise<boolean> {
  return (await readIds(root, '/etc/passwd')).has(user);
}
