import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite.ts';
import type { Store } from '../store/store.ts';
import { DayLedger } from './day-ledger.ts';

const HOUR = 3_600_000;
const now = new Date('2026-11-24T08:00:00Z');
let store: Store;
beforeEach(async () => {
  store = openSqliteStore(':memory:');
  await store.init();
});
afterEach(() => store.close());

const ledgerOf = async (stored = store) =>
  new DayLedger({
    store,
    city: 'kyiv',
    days: ['2026-11-24', '2026-11-25'],
    units: ['dune', 'heat'],
    stored: await stored.cityDays('kyiv'),
    now,
    resumeWithinMs: 12 * HOUR,
  });

describe('DayLedger', () => {
  it('keeps each answer in the store and completes a day once every unit is answered', async () => {
    const ledger = await ledgerOf();
    expect(await ledger.record('2026-11-24', ['dune'], 5, now)).toBe(false);
    expect(await store.cityDays('kyiv')).toEqual([
      { day: '2026-11-24', showtimes: 0, pending: { since: now.toISOString(), answered: ['dune'], showtimes: 5 } },
    ]);
    const later = new Date(now.getTime() + 60_000);
    expect(await ledger.record('2026-11-24', ['heat'], 0, later)).toBe(true);
    expect(await store.cityDays('kyiv')).toEqual([{ day: '2026-11-24', fetchedAt: later.toISOString(), showtimes: 5 }]);
  });

  it('resumes a recent fetch under way, starts an old one over, and names the refreshes', async () => {
    await store.putCityDay('kyiv', {
      day: '2026-11-24',
      fetchedAt: '2026-11-23T08:00:00Z',
      showtimes: 9,
      pending: { since: new Date(now.getTime() - HOUR).toISOString(), answered: ['dune'], showtimes: 2 },
    });
    await store.putCityDay('kyiv', {
      day: '2026-11-25',
      showtimes: 0,
      pending: { since: new Date(now.getTime() - 13 * HOUR).toISOString(), answered: ['dune', 'heat'], showtimes: 7 },
    });
    const ledger = await ledgerOf();
    expect(ledger.answered('2026-11-24', 'dune')).toBe(true);
    expect(ledger.answered('2026-11-24', 'heat')).toBe(false);
    expect(ledger.answered('2026-11-25', 'dune')).toBe(false);
    expect(ledger.completeAlready()).toEqual([]);
    expect(ledger.refreshes()).toEqual(['2026-11-24']);
  });
});
