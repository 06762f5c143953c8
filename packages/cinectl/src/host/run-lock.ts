import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CinectlError } from '../errors.ts';

/**
 * One cinectl at a time per host: two deploys at once could pick the same port block or interleave nginx
 * transactions. The lock is a file holding the owner's pid; a lock whose process is gone is taken over.
 * A --root tree gets its own lock in the temp directory, so staging never writes into the tree for it.
 */
export function runLockPath(root: string): string {
  if (root === '/') return '/run/cinectl.lock';
  return join(tmpdir(), `cinectl-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.lock`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock for this process (released when it exits), or says which cinectl holds it. */
export function acquireRunLock(root: string): void {
  const path = runLockPath(root);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      process.once('exit', () => {
        if (ownerOf(path) === process.pid) rmSync(path, { force: true });
      });
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Without the right to write the lock, the command cannot change the host either: it refuses on its own.
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return;
      if (code !== 'EEXIST') throw error;
    }
    const owner = ownerOf(path);
    if (owner === process.pid || owner === process.ppid) return;
    if (owner !== undefined && isRunning(owner)) {
      throw new CinectlError(`another cinectl (pid ${owner}) is changing this host right now`, {
        hint: `wait for it to finish and run the command again; if no cinectl is running, remove ${path}`,
      });
    }
    rmSync(path, { force: true });
  }
  throw new CinectlError(`could not take the lock ${path}`, { hint: `remove ${path} and run the command again` });
}
