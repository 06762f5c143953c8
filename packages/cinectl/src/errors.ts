import { LOG_FILE } from './plan/layout.ts';

/**
 * The one error module. What cinectl tells the operator is a CinectlError: one sentence, a hint on what to do when
 * there is one, and the exit code (UsageError: 2). Thrown deep, caught once in cli.ts, which prints describeError.
 */
export class CinectlError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;
  /** The last lines a failed command wrote, shown under the error line. */
  readonly output: string[];

  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown; output?: string[] } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CinectlError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
    this.output = options.output ?? [];
  }
}

/** Bad input (names, ports, options, a missing source dir): refused before anything is planned; exit code 2. */
export class UsageError extends CinectlError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** A plan step failed: says which one and what had already been changed. */
export class StepFailedError extends CinectlError {
  readonly stepNumber: number;
  readonly stepTitle: string;
  readonly done: string[];

  constructor(
    step: { number: number; title: string },
    reason: string,
    done: string[],
    hint?: string,
    output: string[] = [],
  ) {
    super(
      `failed at step ${step.number} (${step.title}): ${reason}; already done: ${done.length > 0 ? done.join(', ') : 'nothing'}`,
      { hint: hint ?? `see ${LOG_FILE} for details, fix the cause and run the same command again`, output },
    );
    this.name = 'StepFailedError';
    this.stepNumber = step.number;
    this.stepTitle = step.title;
    this.done = done;
  }
}

/** Ctrl-C while a plan ran: names the step it stopped at and what was already changed; exit code 130. */
export class InterruptedError extends CinectlError {
  constructor(step: { number: number; title: string } | undefined, done: string[]) {
    super(
      `interrupted${step ? ` at step ${step.number} (${step.title})` : ''}; already done: ${done.length > 0 ? done.join(', ') : 'nothing'}`,
      { hint: 'run the same command again: every step first checks what is already done', exitCode: 130 },
    );
    this.name = 'InterruptedError';
  }
}

/** What one step reports when it cannot finish; the executor wraps it into a StepFailedError. */
export class StepError extends Error {
  readonly hint: string | undefined;
  /** The last lines of a failed command's output. */
  readonly output: string[];

  constructor(message: string, hint?: string, options: { output?: string[] } = {}) {
    super(message);
    this.name = 'StepError';
    this.hint = hint;
    this.output = options.output ?? [];
  }
}

/** A broken promise between cinectl's own parts (a bug, not something the operator did): reported as such. */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}

const SYSTEM_ERRORS: Record<string, { problem: string; hint: string }> = {
  EACCES: {
    problem: 'permission denied',
    hint: 'cinectl changes system files: run it as root (sudo cinectl …), or give --root a tree you own',
  },
  EPERM: {
    problem: 'operation not permitted',
    hint: 'cinectl changes system files: run it as root (sudo cinectl …), or give --root a tree you own',
  },
  EROFS: { problem: 'read-only file system', hint: 'remount it read-write, or give --root a writable tree' },
  ENOSPC: { problem: 'no space left on the device', hint: 'free some disk space, then run the same command again' },
  EDQUOT: { problem: 'disk quota exceeded', hint: 'free some disk space, then run the same command again' },
};

/** What the file system refused (permissions, a full or read-only disk), said as the operator can fix it. */
function systemError(error: unknown): CinectlError | undefined {
  const { code, path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  const known = code === undefined ? undefined : SYSTEM_ERRORS[code];
  if (!known) return undefined;
  const what = path ? `${syscall ? `${syscall} ` : ''}${path}` : (error as Error).message;
  return new CinectlError(`${known.problem}: ${what}`, { hint: known.hint, cause: error });
}

/**
 * One line for the terminal: the sentence and its hint, never a stack trace; after a failed command, its last lines
 * of output as `details`.
 */
export function describeError(error: unknown): { line: string; exitCode: number; details?: string[] } {
  const shown = systemError(error) ?? error;
  if (shown instanceof CinectlError) {
    const line = `cinectl: ${shown.message}${shown.hint ? ` — hint: ${shown.hint}` : ''}`;
    if (shown.output.length === 0) return { line, exitCode: shown.exitCode };
    return { line, exitCode: shown.exitCode, details: shown.output.map((text) => `  | ${text}`) };
  }
  if (shown instanceof InternalError) {
    return {
      line: `cinectl: internal error: ${shown.message} — hint: this is a bug in cinectl; please report it with ${LOG_FILE}`,
      exitCode: 1,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    line: `cinectl: unexpected error: ${message} — hint: look at ${LOG_FILE} (under the root with --root) for details`,
    exitCode: 1,
  };
}
