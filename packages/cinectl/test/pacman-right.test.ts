// The AUR builder's pacman right (a sudoers file, as good as root for the builder) lasts only as long as
// init-server's packages part: it is taken back when the part is done, when it fails, and when a signal ends cinectl.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withPacmanRightTakenBack } from '../src/commands/pacman-right.ts';
import { CinectlError } from '../src/errors.ts';
import { SUDOERS_FILE } from '../src/plan/layout.ts';
import { SUDOERS_CANDIDATE } from '../src/plan/yay.ts';
import { testContext } from './support/context.ts';
import { makeRoot, removeRoot, treeHash } from './support/root.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

/** A tree as the packages part leaves it while the builds run: the live sudoers file and a candidate. */
function treeWithRight(): string {
  const root = makeRoot({ nginx: false });
  roots.push(root);
  mkdirSync(join(root, 'etc/sudoers.d'), { recursive: true });
  writeFileSync(join(root, SUDOERS_FILE), 'alice ALL=(root) NOPASSWD: /usr/bin/pacman\n', { mode: 0o440 });
  writeFileSync(join(root, SUDOERS_CANDIDATE), 'alice ALL=(root) NOPASSWD: /usr/bin/pacman\n', { mode: 0o440 });
  return root;
}

const rightLeft = (root: string) => [SUDOERS_FILE, SUDOERS_CANDIDATE].filter((path) => existsSync(join(root, path)));

describe('withPacmanRightTakenBack', () => {
  it('takes the right back when the part fails, and fails with the part’s error', async () => {
    const root = treeWithRight();
    const ctx = testContext({ root });
    const failure = new CinectlError('yay exited with code 1');
    await expect(withPacmanRightTakenBack(ctx, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(rightLeft(root)).toEqual([]);
    expect(ctx.out).toEqual(["Take back the AUR builder's pacman right: 2 changed, 0 unchanged"]);
  });

  it('takes it back when the part is done, and prints nothing when there is nothing to take back', async () => {
    const root = treeWithRight();
    const ctx = testContext({ root });
    expect(await withPacmanRightTakenBack(ctx, async () => 'done')).toBe('done');
    expect(rightLeft(root)).toEqual([]);
    const again = testContext({ root });
    await withPacmanRightTakenBack(again, async () => 'done');
    expect(again.out).toEqual([]);
  });

  it('leaves the tree alone in a dry run', async () => {
    const root = treeWithRight();
    const before = treeHash(root);
    await expect(
      withPacmanRightTakenBack(testContext({ root, dryRun: true }), () => Promise.reject(new Error('x'))),
    ).rejects.toThrow('x');
    expect(treeHash(root)).toBe(before);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'takes it back when %s ends cinectl in the middle of the builds',
    async (signal) => {
      const root = treeWithRight();
      const script = `
      const { withPacmanRightTakenBack } = await import(${JSON.stringify(join(import.meta.dirname, '../src/commands/pacman-right.ts'))});
      const { testContext } = await import(${JSON.stringify(join(import.meta.dirname, 'support/context.ts'))});
      setInterval(() => {}, 1000);
      await withPacmanRightTakenBack(testContext({ root: ${JSON.stringify(root)} }), () => {
        console.log('building');
        return new Promise(() => {});
      });`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((ready) => child.stdout.once('data', () => ready()));
      expect(rightLeft(root)).toHaveLength(2);
      child.kill(signal);
      const ended = await new Promise<NodeJS.Signals | null>((done) => child.once('exit', (_code, by) => done(by)));
      expect(ended).toBe(signal);
      expect(rightLeft(root)).toEqual([]);
    },
  );
});
