import { describe, expect, it } from 'vitest';
import { CinectlError, describeError, InternalError, UsageError } from './errors.ts';

describe('describeError', () => {
  it('prints the sentence and its hint, with the exit code', () => {
    expect(describeError(new UsageError('bad', 'do this'))).toEqual({
      line: 'cinectl: bad — hint: do this',
      exitCode: 2,
    });
    expect(describeError(new CinectlError('failed'))).toEqual({ line: 'cinectl: failed', exitCode: 1 });
  });

  it('says what the file system refused and what to do about it', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/run/cinectl.lock.1'"), {
      code: 'EACCES',
      syscall: 'open',
      path: '/run/cinectl.lock.1',
    });
    expect(describeError(denied)).toEqual({
      line: 'cinectl: permission denied: open /run/cinectl.lock.1 — hint: cinectl changes system files: run it as root (sudo cinectl …), or give --root a tree you own',
      exitCode: 1,
    });
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(describeError(full).line).toBe(
      'cinectl: no space left on the device: ENOSPC: no space left on device, write — hint: free some disk space, then run the same command again',
    );
  });

  it('calls a broken promise of its own a bug, and anything else unexpected', () => {
    expect(describeError(new InternalError('empty command')).line).toBe(
      'cinectl: internal error: empty command — hint: this is a bug in cinectl; please report it with /var/log/cinectl.log',
    );
    expect(describeError(new Error('boom')).line).toMatch(/^cinectl: unexpected error: boom — hint: look at /);
  });
});
