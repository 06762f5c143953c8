import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { UsageError } from '../errors.ts';
import type { Renderer } from '../host/executor.ts';
import { type HostIO, realHostIO } from '../host/io.ts';
import { type PortProbe, probePortFree } from '../state/ports.ts';

export interface GlobalOptions {
  dryRun: boolean;
  /** Absolute; '/' for the real host. */
  root: string;
  yes: boolean;
  verbose: boolean;
}

/** What a command may use of the world: all of it injectable, so tests fix the clock, secrets and CPU count. */
export interface CommandContext {
  options: GlobalOptions;
  io: HostIO;
  print(line: string): void;
  warn(line: string): void;
  renderer: Renderer;
  isTTY: boolean;
  clock(): Date;
  /** A new SECRET_KEY (64 hex characters). */
  randomSecret(): string;
  cpuCount: number;
  probePort: PortProbe;
  confirm(question: string): Promise<boolean>;
}

/** `--root DIR`: must be an existing directory; returned absolute. */
export async function resolveRoot(dir: string | undefined): Promise<string> {
  if (dir === undefined) return '/';
  if (dir.trim() === '') {
    throw new UsageError(
      '--root needs a directory; an empty one would mean this host',
      'give the staging tree, e.g. --root /srv/staging, or leave out --root to act on this host',
    );
  }
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new UsageError(
      `--root ${root} is not a directory`,
      'create it first, or leave out --root to act on this host',
    );
  }
  return root;
}

async function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export function createContext(options: GlobalOptions): CommandContext {
  const isTTY = Boolean(process.stdout.isTTY);
  return {
    options,
    io: realHostIO,
    print: (line) => process.stdout.write(`${line}\n`),
    warn: (line) => process.stderr.write(`${line}\n`),
    renderer: options.verbose ? 'verbose' : isTTY ? 'default' : 'simple',
    isTTY,
    clock: () => new Date(),
    randomSecret: () => randomBytes(32).toString('hex'),
    cpuCount: availableParallelism(),
    // The ports of a --root tree's future host are not this machine's: only a real deploy probes them.
    probePort: options.root === '/' ? probePortFree : async () => true,
    confirm: (question) => (process.stdin.isTTY ? askYesNo(question) : Promise.resolve(false)),
  };
}
