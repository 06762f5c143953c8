import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RELEASE_NAME } from '../plan/layout.ts';

/**
 * Where deploy-app builds a release: `cinectl-build-HASH-APP-RELEASE` in the temp directory (below), HASH naming the root
 * (this host or a --root tree, like the run lock), so the next deploy of the app finds what an interrupted one left.
 */
function prefixOf(root: string, app: string): string {
  return `cinectl-build-${createHash('sha256').update(root).digest('hex').slice(0, 16)}-${app}-`;
}

/**
 * On the real host, unless TMPDIR says otherwise, /var/tmp: /tmp is RAM on Arch (tmpfs), too small for a build's
 * few hundred MB of node_modules on a small server, and on another filesystem than pnpm's store, so nothing links.
 */
function buildParent(root: string): string {
  return root === '/' && !process.env.TMPDIR ? '/var/tmp' : tmpdir();
}

export function buildCopyPath(root: string, app: string, release: string): string {
  return join(buildParent(root), `${prefixOf(root, app)}${release}`);
}

/** The app's build copies in the temp directory: left by interrupted deploys, since a deploy removes its own. */
export async function leftoverBuildCopies(root: string, app: string): Promise<string[]> {
  const prefix = prefixOf(root, app);
  const parent = buildParent(root);
  const names = await readdir(parent).catch(() => []);
  return names
    .filter((name) => name.startsWith(prefix) && RELEASE_NAME.test(name.slice(prefix.length)))
    .sort()
    .map((name) => join(parent, name));
}
