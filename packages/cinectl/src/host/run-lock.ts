import { createHash } from 'node:crypto';
import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CinectlError } from '../errors.ts';
import { RUN_LOCK } from '../plan/layout.ts';

/**
 * One cinectl at a time per host: two deploys at once could pick the same port block or interleave nginx
 * transactions. The lock is a file holding the owner's pid; a lock whose process is gone is taken over.
 * A --root tree gets its own lock in the temp directory, so staging never writes into the tree for it.
 */
export function runLockPath(root: string): string {
  if (root === '/') return RUN_LOCK;
  return join(tmpdir(), `cinectl-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.lock`);
}

const ATTEMPTS = 40;
const RETRY_MS = 25;
/** A takeover file older than this was left by a process that died while taking over. */
const STALE_TAKEOVER_MS = 10_000;

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

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Creates the lock with this pid in it, all at once (a hard link of a finished file); false when it exists. */
function createLock(path: string): boolean {
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, `${process.pid}\n`, { mode: 0o644 });
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * Removes the lock of `stale` (a process that is gone) unless another cinectl got to it first. Only one process at a
 * time may do this, the one that created `<lock>.takeover`, and it reads the owner again before it removes anything:
 * without that, two processes could both remove the lock and one of them the lock the other had just taken.
 * Returns false when another process is taking over at the moment.
 */
export function takeOverStaleLock(path: string, stale: number): boolean {
  const guard = `${path}.takeover`;
  try {
    writeFileSync(guard, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = Date.now() - (statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > STALE_TAKEOVER_MS) rmSync(guard, { force: true });
    return false;
  }
  try {
    if (ownerOf(path) === stale) rmSync(path, { force: true });
  } finally {
    rmSync(guard, { force: true });
  }
  return true;
}

/** Takes the lock for this process (released when it exits), or says which cinectl holds it. */
export function acquireRunLock(root: string): void {
  const path = runLockPath(root);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      if (createLock(path)) {
        process.once('exit', () => {
          if (ownerOf(path) === process.pid) rmSync(path, { force: true });
        });
        return;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Without the right to write the lock, the command cannot change the host either: it refuses on its own.
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return;
      throw error;
    }
    const owner = ownerOf(path);
    if (owner === process.pid) return;
    if (owner !== undefined && isRunning(owner)) {
      throw new CinectlError(`another cinectl (pid ${owner}) is changing this host right now`, {
        hint: `wait for it to finish and run the command again; if no cinectl is running, remove ${path}`,
      });
    }
    // Gone, or between being created and read: either way the next attempt sees what became of it.
    if (owner === undefined || !takeOverStaleLock(path, owner)) pause(RETRY_MS);
  }
  throw new CinectlError(`could not take the lock ${path}`, { hint: `remove ${path} and run the command again` });
}
