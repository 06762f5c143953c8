import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runLockPath } from '../src/host/run-lock.ts';
import { cinectl } from './support/cli.ts';
import { makeRoot, removeRoot, treeHash } from './support/root.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) {
    rmSync(runLockPath(root), { force: true });
    removeRoot(root);
  }
});

describe('one cinectl at a time', () => {
  it('refuses to change a host while another cinectl holds its lock, and changes nothing', async () => {
    const root = makeRoot();
    roots.push(root);
    const other = spawn('sleep', ['60']);
    try {
      writeFileSync(runLockPath(root), `${other.pid}\n`);
      const before = treeHash(root);
      const result = await cinectl(['--root', root, 'start-all']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`another cinectl (pid ${other.pid}) is changing this host right now`);
      expect(treeHash(root)).toBe(before);

      const status = await cinectl(['--root', root, 'status']);
      expect(status.exitCode).toBe(0);
      const dryRun = await cinectl(['--root', root, '--dry-run', 'start-all']);
      expect(dryRun.exitCode).toBe(0);
    } finally {
      other.kill();
    }
  });

  it('releases the lock when the command ends', async () => {
    const root = makeRoot();
    roots.push(root);
    const result = await cinectl(['--root', root, 'start-all']);
    expect(result.exitCode).toBe(0);
    expect(existsSync(runLockPath(root))).toBe(false);
  });
});
