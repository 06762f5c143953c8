/**
 * Ctrl-C. While a plan runs, the executor takes the interrupt: the running command is stopped, the step is named in
 * the log and on the terminal, and cinectl exits 130. Before or after a plan, nothing is half done: one line, 130.
 */
export const INTERRUPTED_EXIT_CODE = 130;

const commands = new AbortController();
let planHandler: (() => void) | undefined;

/** Aborted on Ctrl-C: every command cinectl runs is stopped with it. */
export const interruptSignal: AbortSignal = commands.signal;

/** While a plan runs, Ctrl-C calls `handler` instead of exiting; the returned function gives the interrupt back. */
export function takeInterrupt(handler: () => void): () => void {
  planHandler = handler;
  return () => {
    if (planHandler === handler) planHandler = undefined;
  };
}

export function installInterruptHandler(): void {
  process.on('SIGINT', () => {
    commands.abort();
    if (planHandler) {
      planHandler();
      return;
    }
    process.stderr.write('cinectl: interrupted — hint: run the same command again when you are ready\n');
    process.exit(INTERRUPTED_EXIT_CODE);
  });
}
