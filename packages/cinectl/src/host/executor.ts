import { rmSync } from 'node:fs';
import { Listr, type ListrTask } from 'listr2';
import { InterruptedError, StepError, StepFailedError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Plan, Step } from '../plan/types.ts';
import { checkHandler, runHandler, serviceHandler, userHandler } from './commands.ts';
import type { Inspection, StepContext, StepHandler } from './context.ts';
import { mkdirHandler, moveHandler, removeHandler, symlinkHandler, writeHandler } from './files.ts';
import { takeInterrupt } from './interrupt.ts';
import type { HostIO } from './io.ts';
import { nginxHandler } from './nginx.ts';
import { rollingRestartHandler } from './rolling-restart.ts';
import { underRoot } from './root.ts';

export type Renderer = 'default' | 'simple' | 'verbose' | 'silent';

export type Outcome = 'changed' | 'unchanged' | 'skipped' | 'checked';

export interface StepResult {
  number: number;
  title: string;
  outcome: Outcome;
  note?: string;
}

export interface ExecuteOptions {
  root: string;
  io: HostIO;
  log: Logger;
  renderer: Renderer;
  /** Named in the hint of a failure, e.g. `/var/log/cinectl.log`. */
  logFile?: string;
}

type HandlerMap = { [K in Step['kind']]: StepHandler<Extract<Step, { kind: K }>> };

const handlers: HandlerMap = {
  run: runHandler,
  write: writeHandler,
  mkdir: mkdirHandler,
  remove: removeHandler,
  symlink: symlinkHandler,
  move: moveHandler,
  user: userHandler,
  service: serviceHandler,
  check: checkHandler,
  nginx: nginxHandler,
  'rolling-restart': rollingRestartHandler,
};

function handlerFor<S extends Step>(step: S): StepHandler<S> {
  return handlers[step.kind] as unknown as StepHandler<S>;
}

const NOTHING_TRIGGERED = 'nothing it depends on changed';

function triggered(step: Step, changedIds: ReadonlySet<string>): boolean {
  return !step.when || step.when.changed.some((id) => changedIds.has(id));
}

async function runStep(
  step: Step,
  ctx: StepContext,
  changedIds: ReadonlySet<string>,
): Promise<{ outcome: Outcome; note?: string }> {
  if (!triggered(step, changedIds)) return { outcome: 'unchanged', note: NOTHING_TRIGGERED };
  const handler = handlerFor(step);
  const inspection = await handler.inspect(step, ctx);
  switch (inspection.status) {
    case 'unchanged':
      return { outcome: 'unchanged', ...(inspection.note ? { note: inspection.note } : {}) };
    case 'skip':
      return { outcome: 'skipped', note: inspection.reason };
    case 'verify':
    case 'change': {
      const note = await handler.apply(step, ctx);
      return { outcome: inspection.status === 'verify' ? 'checked' : 'changed', ...(note ? { note } : {}) };
    }
  }
}

function label(result: { outcome: Outcome; note?: string }): string {
  const note = result.note ? ` (${result.note})` : '';
  return `${result.outcome}${note}`;
}

/**
 * Applies a plan step by step with listr2 progress. Each step first finds out whether it is already done
 * (reported "unchanged") and only then acts. The first failure stops the plan; the error names the step and
 * every step that had already changed something.
 */
export async function executePlan(plan: Plan, options: ExecuteOptions): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const changedIds = new Set<string>();
  let failure: { number: number; title: string; error: unknown } | undefined;
  let running: { number: number; title: string } | undefined;
  const changedTitles = () => results.filter((result) => result.outcome === 'changed').map((result) => result.title);
  options.log.info('plan started', { plan: plan.title, root: options.root, steps: plan.steps.length });

  const tasks: ListrTask[] = plan.steps.map((step, index) => ({
    title: step.title,
    task: async (_ctx, task) => {
      const number = index + 1;
      running = { number, title: step.title };
      const ctx: StepContext = {
        root: options.root,
        io: options.io,
        log: options.log.child({ step: number }),
        progress: (line) => {
          task.output = line;
        },
      };
      try {
        const result = await runStep(step, ctx, changedIds);
        results.push({ number, title: step.title, ...result });
        if (result.outcome === 'changed' && step.id) changedIds.add(step.id);
        options.log.info('step done', {
          title: step.title,
          kind: step.kind,
          outcome: result.outcome,
          note: result.note,
        });
        if (result.outcome !== 'skipped') task.title = `${step.title} — ${label(result)}`;
        // The default renderer shows a skip message instead of the title, the line renderers after it.
        else if (options.renderer === 'default') {
          task.title = `${step.title} — ${label(result)}`;
          task.skip();
        } else task.skip(result.note);
      } catch (error) {
        failure = { number, title: step.title, error };
        throw error;
      }
    },
  }));

  const listr = new Listr(tasks, {
    renderer: options.renderer,
    exitOnError: true,
    concurrent: false,
    // Ctrl-C is cinectl's own (host/interrupt.ts): listr2's would exit 127 without a word.
    registerSignalListeners: false,
  });
  let giveBackInterrupt = () => {};
  const interrupted = new Promise<never>((_resolve, reject) => {
    giveBackInterrupt = takeInterrupt(() => {
      const done = changedTitles();
      options.log.error('plan interrupted', { plan: plan.title, step: running?.number, title: running?.title, done });
      reject(new InterruptedError(running, done));
    });
  });
  try {
    await Promise.race([listr.run(), interrupted]);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    const failed = failure ?? { number: results.length + 1, title: plan.steps[results.length]?.title ?? '?', error };
    const reason = failed.error instanceof Error ? failed.error.message : String(failed.error);
    const done = changedTitles();
    options.log.error('plan failed', { plan: plan.title, step: failed.number, title: failed.title, reason, done });
    const hint =
      failed.error instanceof StepError && failed.error.hint
        ? failed.error.hint
        : options.logFile
          ? `see ${options.logFile}, fix the cause and run the same command again`
          : undefined;
    const output = failed.error instanceof StepError ? failed.error.output : [];
    throw new StepFailedError({ number: failed.number, title: failed.title }, reason, done, hint, output);
  } finally {
    giveBackInterrupt();
    runCleanup(plan, options);
  }
  options.log.info('plan finished', { plan: plan.title, summary: summarize(results) });
  return results;
}

/**
 * The plan's cleanup, after success, failure or Ctrl-C: each path removed, a failure logged, never thrown over the
 * plan's own result. Synchronous, so after Ctrl-C nothing else is printed before the one line that says so.
 */
function runCleanup(plan: Plan, options: ExecuteOptions): void {
  for (const step of plan.cleanup ?? []) {
    try {
      rmSync(step.onThisMachine ? step.path : underRoot(options.root, step.path), {
        recursive: step.recursive ?? false,
        force: true,
      });
      options.log.info('cleanup done', { title: step.title });
    } catch (error) {
      options.log.warn('cleanup failed', { title: step.title, reason: (error as Error).message });
    }
  }
}

/** "3 changed, 12 unchanged" (+ skipped steps under --root). */
export function summarize(results: readonly StepResult[], dryRun = false): string {
  const count = (...outcomes: Outcome[]) => results.filter((result) => outcomes.includes(result.outcome)).length;
  const changed = count('changed');
  const parts = [dryRun ? `${changed} to change` : `${changed} changed`, `${count('unchanged', 'checked')} unchanged`];
  const skipped = count('skipped');
  if (skipped > 0) parts.push(`${skipped} skipped (cannot act on a --root tree)`);
  return parts.join(', ');
}

/**
 * The dry run: every step inspected, nothing applied. Returns printable lines (commands, unified diffs with
 * secrets redacted) and the results as if the plan had run up to each step.
 */
export async function previewPlan(
  plan: Plan,
  options: { root: string; io: HostIO; log: Logger },
): Promise<{ lines: string[]; results: StepResult[] }> {
  const lines: string[] = [];
  const results: StepResult[] = [];
  const wouldChange = new Set<string>();
  const ctx: StepContext = { root: options.root, io: options.io, log: options.log, progress: () => {} };
  for (const [index, step] of plan.steps.entries()) {
    const number = index + 1;
    lines.push(`[${number}] ${step.title}`);
    if (!triggered(step, wouldChange)) {
      results.push({ number, title: step.title, outcome: 'unchanged', note: NOTHING_TRIGGERED });
      lines.push(`    unchanged (${NOTHING_TRIGGERED})`);
      continue;
    }
    let inspection: Inspection;
    try {
      inspection = await handlerFor(step).inspect(step, ctx);
    } catch (error) {
      inspection = { status: 'change', preview: [`(cannot tell yet: ${(error as Error).message})`] };
    }
    switch (inspection.status) {
      case 'unchanged':
        results.push({ number, title: step.title, outcome: 'unchanged' });
        lines.push('    unchanged');
        break;
      case 'skip':
        results.push({ number, title: step.title, outcome: 'skipped', note: inspection.reason });
        lines.push(`    skipped: ${inspection.reason}`);
        break;
      case 'verify':
        results.push({ number, title: step.title, outcome: 'checked' });
        lines.push(...inspection.preview.map((line) => `    ${line}`));
        break;
      case 'change':
        results.push({ number, title: step.title, outcome: 'changed' });
        if (step.id) wouldChange.add(step.id);
        lines.push(...inspection.preview.map((line) => `    ${line}`));
        break;
    }
  }
  for (const step of plan.cleanup ?? []) lines.push(`[after every outcome] ${step.title}`);
  return { lines, results };
}
