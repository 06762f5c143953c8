import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock, runLockPath, takeOverStaleLock } from './run-lock.ts';

const root = `/tmp/run-lock-test-${process.pid}`;
const path = runLockPath(root);
const guard = `${path}.takeover`;

afterEach(() => {
  rmSync(path, { force: true });
  rmSync(guard, { force: true });
});

/** The pid of a process that has ended. */
async function gonePid(): Promise<number> {
  const gone = spawn('true');
  await new Promise((resolve) => gone.once('exit', resolve));
  if (gone.pid === undefined) throw new Error('no pid');
  return gone.pid;
}

/** Another node process that tries to take the lock of `root` and says whether it got it. */
async function tryInChild(lockRoot: string, holdMs = 0): Promise<string> {
  const script = `
    const { acquireRunLock } = await import(${JSON.stringify(new URL('./run-lock.ts', import.meta.url).pathname)});
    try { acquireRunLock(${JSON.stringify(lockRoot)}); console.log('took it'); }
    catch (error) { console.log(error.message); }
    setTimeout(() => {}, ${holdMs});`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  return stdout.trim();
}

describe('the run lock', () => {
  it('is taken by this process and names its pid', () => {
    acquireRunLock(root);
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
    acquireRunLock(root);
  });

  it('refuses while another live cinectl holds it, naming that pid', async () => {
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(path, `${other.pid}\n`);
      expect(() => acquireRunLock(root)).toThrow(`another cinectl (pid ${other.pid}) is changing this host`);
      expect(readFileSync(path, 'utf8').trim()).toBe(String(other.pid));
    } finally {
      other.kill();
    }
  });

  it('refuses a child of the process that holds it too', async () => {
    acquireRunLock(root);
    expect(await tryInChild(root)).toBe(`another cinectl (pid ${process.pid}) is changing this host right now`);
  });

  it('takes over a lock whose process is gone', async () => {
    writeFileSync(path, `${await gonePid()}\n`);
    acquireRunLock(root);
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
  });

  it('uses /run on the host and a per-tree file in the temp directory for --root trees', () => {
    expect(runLockPath('/')).toBe('/run/cinectl.lock');
    expect(runLockPath('/tmp/a')).not.toBe(runLockPath('/tmp/b'));
  });
});

describe('taking over a stale lock', () => {
  it('leaves a lock that another cinectl took in the meantime', async () => {
    const stale = await gonePid();
    const other = spawn('sleep', ['30']);
    try {
      // This process read `stale` from the lock; before it removes it, another one has taken the lock over.
      writeFileSync(path, `${other.pid}\n`);
      expect(takeOverStaleLock(path, stale)).toBe(true);
      expect(readFileSync(path, 'utf8').trim()).toBe(String(other.pid));
      expect(existsSync(guard)).toBe(false);
    } finally {
      other.kill();
    }
  });

  it('waits while another process is taking over, and clears a takeover file its maker left behind', async () => {
    const stale = await gonePid();
    writeFileSync(path, `${stale}\n`);
    writeFileSync(guard, '1\n');
    expect(takeOverStaleLock(path, stale)).toBe(false);
    expect(readFileSync(path, 'utf8').trim()).toBe(String(stale));

    const aMinuteAgo = new Date(Date.now() - 60_000);
    utimesSync(guard, aMinuteAgo, aMinuteAgo);
    expect(takeOverStaleLock(path, stale)).toBe(false);
    expect(existsSync(guard)).toBe(false);
    expect(takeOverStaleLock(path, stale)).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('goes to exactly one of several processes that find the same stale lock', { timeout: 30_000 }, async () => {
    for (let round = 0; round < 2; round++) {
      const lockRoot = `${root}-race-${round}`;
      const lockPath = runLockPath(lockRoot);
      writeFileSync(lockPath, `${await gonePid()}\n`);
      try {
        const answers = await Promise.all(Array.from({ length: 6 }, () => tryInChild(lockRoot, 1_000)));
        expect(answers.filter((answer) => answer === 'took it')).toHaveLength(1);
        expect(answers.filter((answer) => answer.startsWith('another cinectl'))).toHaveLength(5);
      } finally {
        rmSync(lockPath, { force: true });
      }
    }
  });
});
