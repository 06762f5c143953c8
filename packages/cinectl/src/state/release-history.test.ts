import { describe, expect, it } from 'vitest';
import {
  EMPTY_HISTORY,
  lastLive,
  parseReleaseHistory,
  previouslyLive,
  serializeReleaseHistory,
  withBuilt,
  withLive,
} from './release-history.ts';

const A = '20250101T000000Z';
const B = '20250201T000000Z';
const FAILED = '20250301T000000Z';
const RETRY = '20250301T000500Z';

describe('release history', () => {
  it('after a failed deploy and a retry, the previously live release is the one before, not the failed copy', () => {
    let history = withLive(
      withBuilt(EMPTY_HISTORY, A, 'aaa', '2025-01-01T00:00:00.000Z'),
      A,
      '2025-01-01T00:01:00.000Z',
      [A],
    );
    history = withLive(withBuilt(history, B, 'bbb', '2025-02-01T00:00:00.000Z'), B, '2025-02-01T00:01:00.000Z', [A, B]);
    history = withBuilt(history, FAILED, 'ccc', '2025-03-01T00:00:00.000Z');
    history = withLive(
      withBuilt(history, RETRY, 'ccc', '2025-03-01T00:05:00.000Z'),
      RETRY,
      '2025-03-01T00:06:00.000Z',
      [A, B, FAILED, RETRY],
    );
    const existing = [A, B, FAILED, RETRY];
    expect(previouslyLive(history, RETRY, existing)).toBe(B);
    expect(lastLive(history, FAILED)).toBeNull();
    expect(history.releases[RETRY]).toEqual({ commit: 'ccc', built: '2025-03-01T00:05:00.000Z' });
    // After rolling back to B, the next rollback goes to RETRY, which was live before B this time.
    history = withLive(history, B, '2025-03-02T00:00:00.000Z', existing);
    expect(previouslyLive(history, B, existing)).toBe(RETRY);
    expect(previouslyLive(history, B, [A, B])).toBe(A);
  });

  it('reads back what it writes; a missing or damaged file is no history', () => {
    const history = withLive(
      withBuilt(EMPTY_HISTORY, A, null, '2025-01-01T00:00:00.000Z'),
      A,
      '2025-01-01T00:01:00.000Z',
      [A],
    );
    expect(parseReleaseHistory(serializeReleaseHistory(history))).toEqual(history);
    expect(parseReleaseHistory(null)).toEqual(EMPTY_HISTORY);
    expect(parseReleaseHistory('{"live": 3}')).toEqual(EMPTY_HISTORY);
    expect(parseReleaseHistory('not json')).toEqual(EMPTY_HISTORY);
  });

  it('drops the entries of pruned releases', () => {
    const history = withBuilt(
      withBuilt(EMPTY_HISTORY, A, 'a', '2025-01-01T00:00:00.000Z'),
      B,
      'b',
      '2025-02-01T00:00:00.000Z',
    );
    expect(Object.keys(withLive(history, B, '2025-02-01T00:01:00.000Z', [B]).releases)).toEqual([B]);
  });
});
