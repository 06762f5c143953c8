import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../store/sqlite.ts';
import { fetchStalled, HEARTBEAT_MS, holdLock, STALLED_AFTER_MS } from './lock.ts';

const NOW = new Date('2026-11-24T10:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe('fetchStalled', () => {
  it.each([
    [{ status: 'scraping', heartbeatAt: ago(0) }, false],
    [{ status: 'scraping', heartbeatAt: ago(STALLED_AFTER_MS - 1) }, false],
    [{ status: 'scraping', heartbeatAt: ago(STALLED_AFTER_MS) }, true],
    [{ status: 'scraping' }, true],
    [{ status: 'scraping', heartbeatAt: 'garbage' }, true],
    [{ status: 'idle', heartbeatAt: ago(3_600_000) }, false],
    [{ status: 'failed' }, false],
  ])('%j is stalled: %s', (location, stalled) => expect(fetchStalled(location, NOW)).toBe(stalled));
});

describe('holdLock', () => {
  afterEach(() => vi.useRealTimers());

  it('renews the lock and beats every HEARTBEAT_MS while held, and stops when released', async () => {
    vi.useFakeTimers({ now: NOW });
    const store = openSqliteStore(':memory:');
    await store.init();
    const beats: Date[] = [];
    const options = { ttlMs: 90_000, clock: () => new Date(), onRenew: async (now: Date) => void beats.push(now) };
    const release = await holdLock(store, 'scrape:kyiv', 'a', options);
    expect(release).not.toBeNull();
    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_MS);
    expect(beats.map((beat) => beat.getTime() - NOW.getTime())).toEqual([1, 2, 3].map((n) => n * HEARTBEAT_MS));
    // Renewed, not just beating: past the first expiry, another owner still cannot take it.
    await vi.advanceTimersByTimeAsync(90_000);
    expect(await holdLock(store, 'scrape:kyiv', 'b', { ...options, onRenew: undefined })).toBeNull();
    await release?.();
    const beaten = beats.length;
    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_MS);
    expect(beats).toHaveLength(beaten);
    await store.close();
  });
});
