import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildCopyPath } from './build-copy.ts';

describe('buildCopyPath', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('builds on disk (/var/tmp) on the real host, not in the RAM-backed /tmp', () => {
    vi.stubEnv('TMPDIR', '');
    expect(buildCopyPath('/', 'films', '20250314T091500Z')).toMatch(
      /^\/var\/tmp\/cinectl-build-[0-9a-f]{16}-films-20250314T091500Z$/,
    );
  });

  it('follows TMPDIR when it is set, and a --root tree uses the temp directory', () => {
    vi.stubEnv('TMPDIR', '/srv/scratch');
    expect(buildCopyPath('/', 'films', '20250314T091500Z')).toMatch(/^\/srv\/scratch\/cinectl-build-/);
    vi.stubEnv('TMPDIR', '');
    expect(buildCopyPath('/tmp/tree', 'films', '20250314T091500Z').startsWith(`${tmpdir()}/cinectl-build-`)).toBe(true);
  });

  it('names the root, so two trees never share a copy', () => {
    expect(buildCopyPath('/a', 'films', '20250314T091500Z')).not.toBe(buildCopyPath('/b', 'films', '20250314T091500Z'));
  });
});
