import { createServer } from 'node:net';
import { CinectlError, UsageError } from '../errors.ts';

export const FIRST_PORT = 8001;
export const BLOCK_SIZE = 12;
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** The one rule for a TCP port number: a whole number from 1 to 65535. */
export function isPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= MIN_PORT && port <= MAX_PORT;
}

export interface PortBlock {
  first: number;
  last: number;
}

/** Answers whether nothing listens on 127.0.0.1:port; injected so tests do not depend on the machine. */
export type PortProbe = (port: number) => Promise<boolean>;

export function blockAt(index: number): PortBlock {
  const first = FIRST_PORT + index * BLOCK_SIZE;
  return { first, last: first + BLOCK_SIZE - 1 };
}

/** The block a port belongs to, or undefined for ports outside the 8001+ grid. */
export function blockOf(port: number): PortBlock | undefined {
  if (port < FIRST_PORT) return undefined;
  return blockAt(Math.floor((port - FIRST_PORT) / BLOCK_SIZE));
}

export function blockPorts(block: PortBlock): number[] {
  return Array.from({ length: block.last - block.first + 1 }, (_, i) => block.first + i);
}

export function formatBlock(block: PortBlock): string {
  return `${block.first}–${block.last}`;
}

const LAST_BLOCK_INDEX = Math.floor((MAX_PORT - BLOCK_SIZE + 1 - FIRST_PORT) / BLOCK_SIZE);

export interface AppPorts {
  name: string;
  ports: number[];
}

export interface Allocation {
  block: PortBlock;
  /** Blocks passed over because another program listens on one of their ports. */
  warnings: string[];
}

async function firstBusyPort(block: PortBlock, isFree: PortProbe): Promise<number | undefined> {
  for (const port of blockPorts(block)) {
    if (!(await isFree(port))) return port;
  }
  return undefined;
}

function owners(apps: readonly AppPorts[]): Map<number, string> {
  const byBlock = new Map<number, string>();
  for (const app of apps) {
    for (const port of app.ports) {
      const block = blockOf(port);
      if (block) byBlock.set(block.first, app.name);
    }
  }
  return byBlock;
}

/**
 * The lowest block of 12 ports from 8001 that no app holds and no other program listens on. A freed block (its
 * app removed) is free again; a block with a busy port is skipped with a warning.
 */
export async function allocateBlock(apps: readonly AppPorts[], isFree: PortProbe): Promise<Allocation> {
  const taken = owners(apps);
  const warnings: string[] = [];
  for (let index = 0; index <= LAST_BLOCK_INDEX; index++) {
    const block = blockAt(index);
    if (taken.has(block.first)) continue;
    const busy = await firstBusyPort(block, isFree);
    if (busy === undefined) return { block, warnings };
    warnings.push(`port ${busy} is in use by another program, so ports ${formatBlock(block)} were skipped`);
  }
  throw new CinectlError(`no free block of ${BLOCK_SIZE} ports is left below ${MAX_PORT}`, {
    hint: 'remove an app you no longer need (cinectl remove-app NAME) or stop the programs listening on 8001+',
  });
}

/** Parses `--ports 8013` or `--ports 8013-8024` into a block, refusing anything that is not a whole block. */
export function parseBlock(text: string): PortBlock {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  const first = Number(match?.[1]);
  const block = match ? blockOf(first) : undefined;
  const hint = `give the first port of a block of ${BLOCK_SIZE}: 8001, 8013, 8025, … (or a range like 8013-8024)`;
  if (!match || !block || block.first !== first || block.last > MAX_PORT) {
    throw new UsageError(`--ports ${JSON.stringify(text)} is not the start of a port block`, hint);
  }
  if (match[2] !== undefined && Number(match[2]) !== block.last) {
    throw new UsageError(`--ports ${text} is not a whole block: a block is ${formatBlock(block)}`, hint);
  }
  return block;
}

/** Checks a block the user asked for: not held by another app and with no port in use. */
export async function claimBlock(block: PortBlock, apps: readonly AppPorts[], isFree: PortProbe): Promise<Allocation> {
  const holder = owners(apps).get(block.first);
  if (holder !== undefined) {
    throw new UsageError(
      `ports ${formatBlock(block)} are taken by the app "${holder}"`,
      'leave out --ports to get the next free block, or pick a block no app holds (cinectl status lists them)',
    );
  }
  const busy = await firstBusyPort(block, isFree);
  if (busy !== undefined) {
    throw new UsageError(
      `port ${busy} of ${formatBlock(block)} is in use by another program`,
      'leave out --ports to get the next free block, or stop that program',
    );
  }
  return { block, warnings: [] };
}

/** True when nothing accepts a listener on 127.0.0.1:port. */
export const probePortFree: PortProbe = (port) =>
  new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
