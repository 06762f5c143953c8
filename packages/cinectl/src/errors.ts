/**
 * The one error module: everything cinectl tells a user is a CinectlError with one sentence and a hint.
 * Thrown deep, caught once in cli.ts.
 */
export class CinectlError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CinectlError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
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

  constructor(step: { number: number; title: string }, reason: string, done: string[], hint?: string) {
    super(
      `failed at step ${step.number} (${step.title}): ${reason}; already done: ${done.length > 0 ? done.join(', ') : 'nothing'}`,
      { hint: hint ?? 'see /var/log/cinectl.log for details, fix the cause and run the same command again' },
    );
    this.name = 'StepFailedError';
    this.stepNumber = step.number;
    this.stepTitle = step.title;
    this.done = done;
  }
}

/** What one step reports when it cannot finish; the executor wraps it into a StepFailedError. */
export class StepError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'StepError';
    this.hint = hint;
  }
}

/** One line for the terminal: the sentence and its hint, never a stack trace. */
export function describeError(error: unknown): { line: string; exitCode: number } {
  if (error instanceof CinectlError) {
    return { line: `cinectl: ${error.message}${error.hint ? ` — hint: ${error.hint}` : ''}`, exitCode: error.exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    line: `cinectl: unexpected error: ${message} — hint: look at var/log/cinectl.log under the root for details`,
    exitCode: 1,
  };
}
