import type { CommandContext, GlobalOptions } from '../../src/commands/context.ts';
import type { HostIO } from '../../src/host/io.ts';
import type { PortProbe } from '../../src/state/ports.ts';
import { recordingIO } from './io.ts';

/** A command context with everything fixed: clock, secret, CPU count, port probe; output collected. */
export function testContext(
  options: Partial<GlobalOptions> & { root: string },
  world: { now?: string; secret?: string; cpuCount?: number; probePort?: PortProbe; io?: HostIO } = {},
): CommandContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    options: { dryRun: false, yes: false, verbose: false, ...options },
    io: world.io ?? recordingIO(),
    print: (line) => out.push(line),
    warn: (line) => err.push(line),
    renderer: 'silent',
    isTTY: false,
    clock: () => new Date(world.now ?? '2025-03-14T09:15:00.000Z'),
    randomSecret: () => world.secret ?? 'a'.repeat(64),
    cpuCount: world.cpuCount ?? 2,
    probePort: world.probePort ?? (async () => true),
    confirm: async () => false,
    out,
    err,
  };
}
