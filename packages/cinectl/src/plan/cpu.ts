import { InternalError } from '../errors.ts';
import { FIRST_PORT } from '../state/ports.ts';

/**
 * The CPU a worker is pinned to (docs/CPU_AFFINITY.md): the worker on port P runs on core (P − 8001) mod N.
 * Round-robin inside an app, continued across apps, and stable: it depends only on the port and the core count.
 */
export function cpuForPort(port: number, cpuCount: number): number {
  if (!Number.isInteger(cpuCount) || cpuCount < 1)
    throw new InternalError(`CPU count must be at least 1 (got ${cpuCount})`);
  return (((port - FIRST_PORT) % cpuCount) + cpuCount) % cpuCount;
}
