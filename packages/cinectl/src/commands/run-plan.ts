import { startAudit } from '../audit.ts';
import { UsageError } from '../errors.ts';
import { executePlan, previewPlan, type StepResult, summarize } from '../host/executor.ts';
import { underRoot } from '../host/root.ts';
import { closeLogger, createFileLogger, createSilentLogger } from '../log.ts';
import { LOG_FILE } from '../plan/layout.ts';
import type { Plan } from '../plan/types.ts';
import type { CommandContext } from './context.ts';

/**
 * Runs a plan, or with --dry-run prints it (commands and file diffs) and changes nothing — not even the log.
 * Ends with the summary line: "3 changed, 12 unchanged".
 */
export async function applyPlan(ctx: CommandContext, plan: Plan): Promise<StepResult[]> {
  const { root, dryRun, verbose } = ctx.options;
  for (const note of plan.notes ?? []) ctx.warn(`warning: ${note}`);
  if (dryRun) {
    const { lines, results } = await previewPlan(plan, { root, io: ctx.io, log: createSilentLogger() });
    ctx.print(`${plan.title}${root === '/' ? '' : ` (root ${root})`}: dry run, nothing is changed`);
    for (const line of lines) ctx.print(line);
    ctx.print(`dry run: ${summarize(results, true)}; nothing was changed`);
    return results;
  }
  if (root === '/' && !ctx.io.isSuperuser()) {
    throw new UsageError(
      `${plan.title} changes this host and needs root`,
      'run it with sudo, or look first with --dry-run, or stage it in a tree with --root DIR',
    );
  }
  const logFile = underRoot(root, LOG_FILE);
  const log = createFileLogger(logFile, { verbose, warn: ctx.warn });
  startAudit(root);
  try {
    const results = await executePlan(plan, { root, io: ctx.io, log, renderer: ctx.renderer, logFile });
    ctx.print(`${plan.title}: ${summarize(results)}`);
    return results;
  } finally {
    await closeLogger(log);
  }
}
