import { describe, expect, it } from 'vitest';
import { cpuForPort } from './cpu.ts';
import { previousRelease, releaseName, releaseOfLink, releasesToPrune } from './release.ts';

describe('releases', () => {
  it('are named by UTC time, with a suffix when the second is taken', () => {
    const now = new Date('2025-03-14T09:15:07.123Z');
    expect(releaseName(now, [])).toBe('20250314T091507Z');
    expect(releaseName(now, ['20250314T091507Z'])).toBe('20250314T091507Z-2');
    expect(releaseName(now, ['20250314T091507Z', '20250314T091507Z-2'])).toBe('20250314T091507Z-3');
  });

  it('go back to the newest one older than the live one', () => {
    const releases = ['20250103T000000Z', '20250101T000000Z', '20250102T000000Z', 'junk'];
    expect(previousRelease(releases, '20250103T000000Z')).toBe('20250102T000000Z');
    expect(previousRelease(releases, '20250102T000000Z')).toBe('20250101T000000Z');
    expect(previousRelease(releases, '20250101T000000Z')).toBeUndefined();
  });

  it('are pruned to the newest five, never removing a protected one', () => {
    const names = Array.from({ length: 8 }, (_, i) => `2025010${i + 1}T000000Z`);
    expect(releasesToPrune(names, [])).toEqual(['20250101T000000Z', '20250102T000000Z', '20250103T000000Z']);
    expect(releasesToPrune(names, ['20250102T000000Z'])).toEqual(['20250101T000000Z', '20250103T000000Z']);
    expect(releasesToPrune(names.slice(0, 5), [])).toEqual([]);
  });

  it('are read back from the current link', () => {
    expect(releaseOfLink('releases/20250314T091507Z')).toBe('20250314T091507Z');
    expect(releaseOfLink('/var/www/a/releases/20250314T091507Z-2/')).toBe('20250314T091507Z-2');
    expect(releaseOfLink('elsewhere')).toBeNull();
    expect(releaseOfLink(null)).toBeNull();
  });
});

describe('cpuForPort', () => {
  it('goes round-robin from port 8001, across app blocks', () => {
    expect([8001, 8002, 8003, 8004].map((port) => cpuForPort(port, 2))).toEqual([0, 1, 0, 1]);
    expect([8013, 8014, 8015].map((port) => cpuForPort(port, 5))).toEqual([2, 3, 4]);
    expect(cpuForPort(8100, 1)).toBe(0);
    expect(() => cpuForPort(8001, 0)).toThrow(/at least 1/);
  });
});
