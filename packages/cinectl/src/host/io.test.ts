import { describe, expect, it } from 'vitest';
import { commandPath } from './io.ts';

describe('commandPath', () => {
  it('adds the sbin directories a non-root PATH lacks, once, after the caller’s own', () => {
    expect(commandPath('/usr/local/bin:/usr/bin:/bin')).toBe(
      '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin',
    );
    expect(commandPath('/usr/sbin:/usr/bin')).toBe('/usr/sbin:/usr/bin:/usr/local/sbin:/sbin');
    expect(commandPath('')).toBe('/usr/local/sbin:/usr/sbin:/sbin');
  });
});
