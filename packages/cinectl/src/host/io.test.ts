import { describe, expect, it } from 'vitest';
import { commandPath, realHostIO } from './io.ts';

describe('commandPath', () => {
  it('adds the sbin directories a non-root PATH lacks, once, after the caller’s own', () => {
    expect(commandPath('/usr/local/bin:/usr/bin:/bin')).toBe(
      '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin',
    );
    expect(commandPath('/usr/sbin:/usr/bin')).toBe('/usr/sbin:/usr/bin:/usr/local/sbin:/sbin');
    expect(commandPath('')).toBe('/usr/local/sbin:/usr/sbin:/sbin');
  });
});

describe('realHostIO.execSync', () => {
  it('runs an argv without a shell and returns what it printed', () => {
    const result = realHostIO.execSync([process.execPath, '-e', 'console.error("to stderr"); process.exit(3)']);
    expect(result).toEqual({ exitCode: 3, stdout: '', stderr: 'to stderr\n' });
    expect(realHostIO.execSync(['echo', '$HOME;', 'x']).stdout).toBe('$HOME; x\n');
  });

  it('says why a command could not run', () => {
    const result = realHostIO.execSync(['cinectl-no-such-command']);
    expect(result.exitCode).toBe(127);
    expect(result.failure).toMatch(/ENOENT/);
  });
});
