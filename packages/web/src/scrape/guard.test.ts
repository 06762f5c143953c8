import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.ts';
import { TokenBudget, tokenCounterName } from './budget.ts';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('allows `limit` events per key in any window, then frees them as they age', () => {
    let now = Date.parse('2026-11-24T10:00:00Z');
    const limiter = new RateLimiter({ limit: 2, windowMs: 60_000, clock: () => new Date(now) });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, false]);
    expect(limiter.take('b')).toBe(true);
    now += 59_999;
    expect(limiter.take('a')).toBe(false);
    now += 1;
    expect(limiter.take('a')).toBe(true);
  });
});

describe('TokenBudget', () => {
  const store = openSqliteStore(':memory:');
  afterAll(() => store.close());

  it('draws every worker from one daily budget kept in the store, renewed each UTC day', async () => {
    await store.init();
    let now = new Date('2026-11-24T23:00:00Z');
    const clock = () => now;
    const one = new TokenBudget(store, 1_000, clock);
    const other = new TokenBudget(store, 1_000, clock);
    expect(await one.spend({ prompt: 300, output: 100, tool: 50, thoughts: 50 })).toBe(true);
    expect(await other.spend({ prompt: 400, output: 0, tool: 0, thoughts: 0 })).toBe(true);
    expect(await one.exhausted()).toBe(false);
    expect(await other.spend({ prompt: 100, output: 0, tool: 0, thoughts: 0 })).toBe(false);
    expect(await one.exhausted()).toBe(true);
    expect(await store.counter(tokenCounterName(now))).toBe(1_000);
    now = new Date('2026-11-25T00:00:00Z');
    expect(await one.exhausted()).toBe(false);
    expect(await one.spentToday()).toBe(0);
  });
});
