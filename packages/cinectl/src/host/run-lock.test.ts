import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock, runLockPath } from './run-lock.ts';

const root = `/tmp/run-lock-test-${process.pid}`;
const path = runLockPath(root);

afterEach(() => rmSync(path, { force: true }));

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

  it('takes over a lock whose process is gone', async () => {
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(path, `${gone.pid}\n`);
    acquireRunLock(root);
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
  });

  it('uses /run on the host and a per-tree file in the temp directory for --root trees', () => {
    expect(runLockPath('/')).toBe('/run/cinectl.lock');
    expect(runLockPath('/tmp/a')).not.toBe(runLockPath('/tmp/b'));
    expect(existsSync(runLockPath('/tmp/a'))).toBe(false);
  });
});
