import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostQueue } from './host-queue.ts';

const A = new URL('https://a.example/one');
const A_OTHER_PATH = new URL('https://a.example/two?x=1');

/** A task that records when it ran (in fake milliseconds) and takes `ms`. */
function recorder() {
  const spans: { name: string; start: number; end: number }[] = [];
  const task = (name: string, ms: number) => async () => {
    const span = { name, start: performance.now(), end: Number.NaN };
    spans.push(span);
    await new Promise((resolve) => setTimeout(resolve, ms));
    span.end = performance.now();
    return name;
  };
  /** When each task started, counted from the first start. */
  const starts = () => spans.map((span) => span.start - (spans[0]?.start ?? 0));
  return { spans, starts, task };
}

describe('HostQueue', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  it('runs one request per origin at a time by default, in order, and resolves with each result', async () => {
    const queue = new HostQueue({ delayMs: 0 });
    const { spans, starts, task } = recorder();
    const results = Promise.all([
      queue.run(A, task('first', 100)),
      queue.run(A_OTHER_PATH, task('second', 100)),
      queue.run(A, task('third', 100)),
    ]);
    await vi.runAllTimersAsync();
    expect(await results).toEqual(['first', 'second', 'third']);
    expect(spans.map((span) => span.name)).toEqual(['first', 'second', 'third']);
    expect(starts()).toEqual([0, 100, 200]);
  });

  it('rests delayMs between one request ending and the next starting', async () => {
    const queue = new HostQueue({ delayMs: 1_000 });
    const { spans, task } = recorder();
    const done = Promise.all([queue.run(A, task('first', 300)), queue.run(A, task('second', 300))]);
    await vi.runAllTimersAsync();
    await done;
    const [first, second] = spans;
    expect(first && second && second.start - first.end).toBe(1_000);
  });

  it('allows two in flight with concurrency 2, their starts still delayMs apart', async () => {
    const queue = new HostQueue({ concurrency: 2, delayMs: 50 });
    const { starts, task } = recorder();
    const done = Promise.all(['a', 'b', 'c'].map((name) => queue.run(A, task(name, 1_000))));
    await vi.runAllTimersAsync();
    await done;
    // b starts 50 ms after a, while a runs; c waits for a's slot: a ends at 1000 and rests 50.
    expect(starts()).toEqual([0, 50, 1_050]);
  });

  it('keeps origins apart: another host or port does not wait', async () => {
    const queue = new HostQueue({ delayMs: 1_000 });
    const { starts, task } = recorder();
    const done = Promise.all([
      queue.run(A, task('a', 500)),
      queue.run(new URL('https://b.example/'), task('b', 500)),
      queue.run(new URL('https://a.example:8443/'), task('a:8443', 500)),
      queue.run(new URL('http://a.example/'), task('http a', 500)),
    ]);
    await vi.runAllTimersAsync();
    await done;
    expect(starts()).toEqual([0, 0, 0, 0]);
  });

  it('frees the slot of a task that fails', async () => {
    const queue = new HostQueue({ delayMs: 0 });
    const failing = queue.run(A, async () => {
      throw new Error('boom');
    });
    const next = queue.run(A, async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await vi.runAllTimersAsync();
    expect(await next).toBe('next');
  });

  it.each([0, 3, 1.5])('refuses a concurrency of %s', (concurrency) => {
    expect(() => new HostQueue({ concurrency })).toThrow(RangeError);
  });

  it('refuses a negative delay', () => expect(() => new HostQueue({ delayMs: -1 })).toThrow(RangeError));
});
