import { UsageError } from '../errors.ts';

/** Each worker's resource limits in its unit: memory, processes and threads, open files. */
export interface ResourceLimits {
  /** systemd's MemoryMax=: bytes with K/M/G/T, a percentage of RAM, or infinity. */
  memoryMax: string;
  tasksMax: number;
  limitNofile: number;
}

/** A worker uses about 150 MB; 1 GB stops a leak before it takes the server. */
export const DEFAULT_LIMITS: ResourceLimits = { memoryMax: '1G', tasksMax: 512, limitNofile: 65536 };

const MEMORY = /^(\d{1,12}[KMGT]?|\d{1,3}%|infinity)$/;

export function parseMemoryMax(text: string): string {
  if (!MEMORY.test(text)) {
    throw new UsageError(
      `--memory-max ${JSON.stringify(text)} is not a size`,
      'e.g. --memory-max 768M, 2G, 25% or infinity',
    );
  }
  return text;
}

export function parseLimitCount(option: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 16 || value > max) {
    throw new UsageError(
      `${option} ${JSON.stringify(text)} must be a whole number from 16 to ${max}`,
      `e.g. ${option} 1024`,
    );
  }
  return value;
}

/** The limits an existing unit file has (a redeploy keeps them unless new ones are given). */
export function limitsOfUnit(unit: string | null): Partial<ResourceLimits> {
  if (unit === null) return {};
  const value = (key: string) => new RegExp(`^${key}=(\\S+)$`, 'm').exec(unit)?.[1];
  const memoryMax = value('MemoryMax');
  const tasksMax = Number(value('TasksMax'));
  const limitNofile = Number(value('LimitNOFILE'));
  return {
    ...(memoryMax && MEMORY.test(memoryMax) ? { memoryMax } : {}),
    ...(Number.isInteger(tasksMax) && tasksMax > 0 ? { tasksMax } : {}),
    ...(Number.isInteger(limitNofile) && limitNofile > 0 ? { limitNofile } : {}),
  };
}
