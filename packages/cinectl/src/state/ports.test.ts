import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CinectlError, UsageError } from '../errors.ts';
import {
  allocateBlock,
  blockAt,
  blockOf,
  blockPorts,
  claimBlock,
  MAX_PORT,
  type PortProbe,
  parseBlock,
  probePortFree,
} from './ports.ts';

const allFree: PortProbe = async () => true;
const busy =
  (...ports: number[]): PortProbe =>
  async (port) =>
    !ports.includes(port);
const app = (name: string, first: number, count = 12) => ({
  name,
  ports: Array.from({ length: count }, (_, i) => first + i),
});

describe('port blocks', () => {
  it('are 12 ports from 8001', () => {
    expect(blockAt(0)).toEqual({ first: 8001, last: 8012 });
    expect(blockAt(1)).toEqual({ first: 8013, last: 8024 });
    expect(blockPorts(blockAt(1))).toEqual([8013, 8014, 8015, 8016, 8017, 8018, 8019, 8020, 8021, 8022, 8023, 8024]);
    expect(blockOf(8024)).toEqual({ first: 8013, last: 8024 });
    expect(blockOf(8025)).toEqual({ first: 8025, last: 8036 });
    expect(blockOf(8000)).toBeUndefined();
  });
});

describe('allocateBlock', () => {
  it('gives the first app 8001–8012 and the next one 8013–8024', async () => {
    expect((await allocateBlock([], allFree)).block).toEqual({ first: 8001, last: 8012 });
    expect((await allocateBlock([app('one', 8001)], allFree)).block).toEqual({ first: 8013, last: 8024 });
    expect((await allocateBlock([app('one', 8001), app('two', 8013)], allFree)).block.first).toBe(8025);
  });

  it('reuses a block freed by a removed app', async () => {
    const result = await allocateBlock([app('one', 8001), app('three', 8025)], allFree);
    expect(result.block).toEqual({ first: 8013, last: 8024 });
  });

  it('counts a block as taken when the app uses only some of its ports', async () => {
    expect((await allocateBlock([app('small', 8001, 3)], allFree)).block.first).toBe(8013);
  });

  it('skips a block with a port bound by another program, with a warning', async () => {
    const result = await allocateBlock([app('one', 8001)], busy(8020));
    expect(result.block).toEqual({ first: 8025, last: 8036 });
    expect(result.warnings).toEqual(['port 8020 is in use by another program, so ports 8013–8024 were skipped']);
  });

  it('fails clearly when no block below 65535 is free', async () => {
    const error = await allocateBlock([], async () => false).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CinectlError);
    expect((error as Error).message).toBe('no free block of 12 ports is left below 65535');
  });

  it('offers the last whole block below 65535 and nothing after it', async () => {
    const last = Math.floor((MAX_PORT - 8001 + 1) / 12) - 1;
    const held = Array.from({ length: last }, (_, i) => app(`a${i}`, 8001 + i * 12));
    const result = await allocateBlock(held, allFree);
    expect(result.block).toEqual({ first: 65517, last: 65528 });
    await expect(allocateBlock([...held, app('z', 65517)], allFree)).rejects.toThrow(/no free block/);
  });
});

describe('--ports', () => {
  it('accepts the first port of a block or the whole range', () => {
    expect(parseBlock('8013')).toEqual({ first: 8013, last: 8024 });
    expect(parseBlock('8013-8024')).toEqual({ first: 8013, last: 8024 });
  });

  it.each(['8014', '8013-8020', '80', 'abc', '65529', '8013-'])('refuses %j as bad input', (text) => {
    expect(() => parseBlock(text)).toThrow(UsageError);
  });

  it('refuses a block held by another app and one with a busy port', async () => {
    await expect(claimBlock(blockAt(0), [app('one', 8001)], allFree)).rejects.toThrow(
      'ports 8001–8012 are taken by the app "one"',
    );
    await expect(claimBlock(blockAt(1), [app('one', 8001)], busy(8015))).rejects.toThrow(
      'port 8015 of 8013–8024 is in use by another program',
    );
    expect((await claimBlock(blockAt(1), [app('one', 8001)], allFree)).block.first).toBe(8013);
  });
});

describe('probePortFree', () => {
  it('tells a bound loopback port from a free one', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    expect(await probePortFree(port)).toBe(false);
    await new Promise((resolve) => server.close(resolve));
    expect(await probePortFree(port)).toBe(true);
  });
});
