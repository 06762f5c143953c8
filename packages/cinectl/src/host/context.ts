import type { Logger } from '../log.ts';
import type { Step } from '../plan/types.ts';
import type { HostIO } from './io.ts';

export interface StepContext {
  /** The --root directory; '/' on a real host. */
  root: string;
  io: HostIO;
  log: Logger;
  /** Shows a line of progress for the running step (never written to the terminal directly). */
  progress(line: string): void;
}

/** What a step would do, found out without changing anything. */
export type Inspection =
  | { status: 'unchanged'; note?: string }
  | { status: 'change'; preview: string[] }
  | { status: 'skip'; reason: string }
  /** A check: it runs, but never counts as a change. */
  | { status: 'verify'; preview: string[] };

export interface StepHandler<S extends Step> {
  inspect(step: S, ctx: StepContext): Promise<Inspection>;
  /** Makes the change; may return a note shown next to the step (e.g. "nginx is not running"). */
  apply(step: S, ctx: StepContext): Promise<string | undefined>;
}

export const SKIPPED_UNDER_ROOT = 'cannot act on a --root tree';

export function isUnderRoot(ctx: { root: string }): boolean {
  return ctx.root !== '/';
}
