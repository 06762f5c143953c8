import { describe, expect, it } from 'vitest';
import { type RobotsAnswer, RobotsCache } from './robots.ts';

const KINO = 'https://kino.example';
const ok = (body: string): RobotsAnswer => ({ kind: 'answered', status: 200, statusText: 'OK', body });
const status = (code: number, statusText: string): RobotsAnswer => ({
  kind: 'answered',
  status: code,
  statusText,
  body: '',
});

/** A cache over a fake loader that answers `answer` and counts what it was asked. */
function cacheOf(answer: RobotsAnswer | ((url: URL) => RobotsAnswer), clock = { now: 0 }, ttlMs?: number) {
  const asked: string[] = [];
  const cache = new RobotsCache({
    load: async (url) => {
      asked.push(url.href);
      return typeof answer === 'function' ? answer(url) : answer;
    },
    now: () => clock.now,
    ...(ttlMs === undefined ? {} : { ttlMs }),
  });
  const check = (url: string) => cache.check(new URL(url));
  return { asked, check };
}

describe('RobotsCache', () => {
  it('applies the CineStream group of a robots.txt', async () => {
    const { check } = cacheOf(ok('User-agent: *\nDisallow: /\n\nUser-agent: CineStream\nDisallow: /schedule\n'));
    expect(await check(`${KINO}/schedule?day=today`)).toEqual({
      allowed: false,
      code: 'robots',
      reason: 'robots.txt of https://kino.example disallows /schedule?day=today for CineStream',
    });
    expect(await check(`${KINO}/films`)).toEqual({ allowed: true });
  });

  it('falls back to the * group, and allows what no rule names', async () => {
    const { check } = cacheOf(ok('User-agent: OtherBot\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\n'));
    expect((await check(`${KINO}/private/x`)).allowed).toBe(false);
    expect((await check(`${KINO}/schedule`)).allowed).toBe(true);
  });

  it.each([
    [404, 'Not Found'],
    [403, 'Forbidden'],
    [410, 'Gone'],
  ])('allows everything when robots.txt answers %s', async (code, text) => {
    const { check } = cacheOf(status(code, text));
    expect(await check(`${KINO}/schedule`)).toEqual({ allowed: true });
  });

  it.each([
    [500, 'Internal Server Error'],
    [503, 'Service Unavailable'],
    [429, 'Too Many Requests'],
  ])('disallows everything when robots.txt answers %s, saying so', async (code, text) => {
    const { check } = cacheOf(status(code, text));
    expect(await check(`${KINO}/schedule`)).toEqual({
      allowed: false,
      code: 'robots',
      reason:
        `robots.txt of https://kino.example could not be read (https://kino.example/robots.txt answered ${code} ${text}), ` +
        'so the site counts as disallowing everything (RFC 9309)',
    });
  });

  it('disallows everything when robots.txt cannot be fetched at all', async () => {
    const { check } = cacheOf({ kind: 'failed', code: 'timeout', reason: 'no answer from kino.example within 15 s' });
    expect(await check(`${KINO}/schedule`)).toEqual({
      allowed: false,
      code: 'timeout',
      reason:
        'robots.txt of https://kino.example could not be read (no answer from kino.example within 15 s), ' +
        'so the site counts as disallowing everything (RFC 9309)',
    });
  });

  it('asks for /robots.txt of the origin once per TTL, sharing a read in progress', async () => {
    const clock = { now: 0 };
    const { asked, check } = cacheOf(ok('User-agent: *\nDisallow:\n'), clock, 60_000);
    await Promise.all([check(`${KINO}/a`), check(`${KINO}/b?c=d`)]);
    await check(`${KINO}/e`);
    expect(asked).toEqual(['https://kino.example/robots.txt']);
    clock.now = 59_999;
    await check(`${KINO}/f`);
    expect(asked).toHaveLength(1);
    clock.now = 60_000;
    await check(`${KINO}/g`);
    expect(asked).toHaveLength(2);
  });

  it('keeps origins apart: scheme, host and port', async () => {
    const { asked, check } = cacheOf(status(404, 'Not Found'));
    for (const url of [`${KINO}/`, 'http://kino.example/', 'https://kino.example:8443/', 'https://other.example/']) {
      await check(url);
    }
    expect(asked).toEqual([
      'https://kino.example/robots.txt',
      'http://kino.example/robots.txt',
      'https://kino.example:8443/robots.txt',
      'https://other.example/robots.txt',
    ]);
  });

  it('asks an unreachable robots.txt again after ten minutes, not a day', async () => {
    const clock = { now: 0 };
    const { asked, check } = cacheOf(status(503, 'Service Unavailable'), clock);
    await check(`${KINO}/`);
    clock.now = 10 * 60_000 - 1;
    await check(`${KINO}/`);
    expect(asked).toHaveLength(1);
    clock.now = 10 * 60_000;
    await check(`${KINO}/`);
    expect(asked).toHaveLength(2);
  });

  it('treats a loader that throws as unreachable', async () => {
    const { check } = cacheOf(() => {
      throw new Error('boom');
    });
    const verdict = await check(`${KINO}/`);
    expect(verdict).toMatchObject({ allowed: false, reason: expect.stringContaining('(boom)') });
  });
});
