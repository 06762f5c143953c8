// Port blocks for the tests that run real workers: found free on this machine once per test run (assign-port-blocks.ts)
// and handed to each such test file by name, so that two files never pick the same block and a site already
// serving on 8001 (./scripts/start.sh) is passed over.
import { inject } from 'vitest';
import { BLOCK_SIZE, blockAt, blockPorts, MAX_PORT, type PortProbe } from '../../src/state/ports.ts';

/** The test files that start workers, and how many blocks of 12 ports each one needs. */
export const BLOCKS_WANTED = { stack: 2, ssl: 1 } as const;
export type BlockUser = keyof typeof BLOCKS_WANTED;
export type PortBlocks = Record<BlockUser, number[]>;

declare module 'vitest' {
  export interface ProvidedContext {
    portBlocks: PortBlocks;
  }
}

async function allFree(ports: number[], isFree: PortProbe): Promise<boolean> {
  for (const port of ports) if (!(await isFree(port))) return false;
  return true;
}

/** The first ports of `count` blocks on cinectl's grid (8001, 8013, …) whose every port is free now. */
export async function freeBlocks(count: number, isFree: PortProbe): Promise<number[]> {
  const found: number[] = [];
  for (let index = 0; found.length < count; index++) {
    const block = blockAt(index);
    if (block.last > MAX_PORT) throw new Error(`fewer than ${count} free blocks of ${BLOCK_SIZE} ports on 127.0.0.1`);
    if (await allFree(blockPorts(block), isFree)) found.push(block.first);
  }
  return found;
}

/** Gives every user its blocks, none shared. */
export async function assignBlocks(isFree: PortProbe): Promise<PortBlocks> {
  const users = Object.entries(BLOCKS_WANTED) as [BlockUser, number][];
  const all = await freeBlocks(
    users.reduce((sum, [, count]) => sum + count, 0),
    isFree,
  );
  const blocks = {} as PortBlocks;
  for (const [user, count] of users) blocks[user] = all.splice(0, count);
  return blocks;
}

/** The blocks this test file was given for the run. */
export function portBlocksFor(user: BlockUser): number[] {
  return inject('portBlocks')[user];
}
