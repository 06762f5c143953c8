import { GROUP_FILE, PASSWD_FILE } from '../plan/layout.ts';
import type { Owner } from '../plan/types.ts';
import { readHostFile } from './facts.ts';

/** name → fields of a passwd or group file (`name:x:id:…`); a missing file gives an empty table. */
async function accountTable(
  root: string,
  file: typeof PASSWD_FILE | typeof GROUP_FILE,
): Promise<Map<string, string[]>> {
  const table = new Map<string, string[]>();
  for (const line of ((await readHostFile(root, file)) ?? '').split('\n')) {
    const fields = line.split(':');
    if (fields[0]) table.set(fields[0], fields);
  }
  return table;
}

/** name → numeric id (the third field). */
async function readIds(root: string, file: typeof PASSWD_FILE | typeof GROUP_FILE): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const [name, fields] of await accountTable(root, file)) {
    const id = fields[2];
    if (id && /^\d+$/.test(id)) ids.set(name, Number(id));
  }
  return ids;
}

/**
 * Numeric ids of an owner from the root's own `/etc/passwd` and `/etc/group` (so `--root` trees get the ids their
 * accounts have there, not this machine's); undefined when the user or group does not exist (yet).
 */
export async function resolveOwner(root: string, owner: Owner): Promise<{ uid: number; gid: number } | undefined> {
  const uid = owner.user === 'root' ? 0 : (await readIds(root, PASSWD_FILE)).get(owner.user);
  const gid = owner.group === 'root' ? 0 : (await readIds(root, GROUP_FILE)).get(owner.group);
  if (uid === undefined || gid === undefined) return undefined;
  return { uid, gid };
}

export async function userExists(root: string, user: string): Promise<boolean> {
  return (await accountTable(root, PASSWD_FILE)).has(user);
}

/** The name of the user's primary group; undefined when the user or that group is not there. */
export async function primaryGroup(root: string, user: string): Promise<string | undefined> {
  const gid = (await accountTable(root, PASSWD_FILE)).get(user)?.[3];
  if (gid === undefined) return undefined;
  return [...(await accountTable(root, GROUP_FILE)).values()].find((fields) => fields[2] === gid)?.[0];
}
