import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { StepError } from '../errors.ts';
import { nginxReload, nginxTest } from '../plan/argv.ts';
import { NGINX_UNIT } from '../plan/layout.ts';
import type { NginxStep } from '../plan/types.ts';
import { runChecked, unitState } from './commands.ts';
import { isUnderRoot, SKIPPED_UNDER_ROOT, type StepHandler } from './context.ts';
import { fileDiff } from './diff.ts';
import { readFileOrNull } from './files.ts';
import { type ExecResult, lastLine } from './io.ts';
import { formatCommand, underRoot } from './root.ts';

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

interface FileChange {
  /** Absolute path on disk (under the root). */
  real: string;
  /** Path shown to the user (host path). */
  shown: string;
  before: string | null;
  /** null = remove. */
  after: string | null;
}

/** Every file the transaction would write or remove, with what it holds now. */
async function changesOf(step: NginxStep, root: string): Promise<FileChange[]> {
  const confReal = underRoot(root, step.confPath);
  const confDir = dirname(confReal);
  const hostConfDir = dirname(step.confPath);
  const wanted = new Map<string, string>([[confReal, step.conf]]);
  for (const [path, content] of step.files) wanted.set(join(confDir, path), content);
  const changes: FileChange[] = [];
  for (const [real, after] of wanted) {
    const before = await readFileOrNull(real);
    if (before !== after) changes.push({ real, shown: join(hostConfDir, relative(confDir, real)), before, after });
  }
  const kept = new Set((step.keep ?? []).map((path) => join(confDir, path)));
  for (const real of await listFiles(join(confDir, step.includeDir))) {
    if (!wanted.has(real) && !kept.has(real)) {
      changes.push({
        real,
        shown: join(hostConfDir, relative(confDir, real)),
        before: await readFileOrNull(real),
        after: null,
      });
    }
  }
  return changes;
}

async function put(real: string, content: string | null): Promise<void> {
  if (content === null) {
    await rm(real, { force: true });
    return;
  }
  await mkdir(dirname(real), { recursive: true });
  const temporary = `${real}.cinectl-new`;
  await writeFile(temporary, content, { mode: 0o644 });
  await rename(temporary, real);
}

/** nginx's own complaint ("unknown directive … in …:12") without its timestamp, else the last line. */
export function nginxComplaint(result: ExecResult): string {
  const line = `${result.stderr}\n${result.stdout}`.split('\n').find((text) => /\[(emerg|alert|crit)\]/.test(text));
  return line ? line.replace(/^.*?\[(emerg|alert|crit)\]\s*(\d+#\d+:\s*)?/, '') : lastLine(result);
}

async function restore(changes: readonly FileChange[]): Promise<void> {
  for (const change of changes) await put(change.real, change.before);
}

export const nginxHandler: StepHandler<NginxStep> = {
  async inspect(step, ctx) {
    const changes = await changesOf(step, ctx.root);
    if (changes.length === 0) return { status: 'unchanged' };
    const preview = changes.flatMap((change) =>
      change.after === null ? [`remove ${change.shown}`] : fileDiff(change.shown, change.before, change.after),
    );
    preview.push(`$ ${formatCommand(nginxTest(underRoot(ctx.root, step.confPath)))}`);
    preview.push(isUnderRoot(ctx) ? `(reload ${SKIPPED_UNDER_ROOT})` : `$ ${formatCommand(nginxReload())}`);
    return { status: 'change', preview };
  },
  async apply(step, ctx) {
    const changes = await changesOf(step, ctx.root);
    if (changes.length === 0) return undefined;
    for (const change of changes) await put(change.real, change.after);
    const test = nginxTest(underRoot(ctx.root, step.confPath));
    ctx.log.info('run', { command: formatCommand(test) });
    const result = await ctx.io.exec(test);
    if (result.exitCode !== 0 || result.failure) {
      await restore(changes);
      ctx.log.error('nginx -t rejected the candidate configuration', { stderr: result.stderr.slice(-4000) });
      throw new StepError(
        `nginx -t rejected the new configuration (${nginxComplaint(result)}); the previous files were restored`,
        'nothing changed for visitors; fix the nginx configuration the message points at and run the command again',
      );
    }
    if (isUnderRoot(ctx)) return `reload ${SKIPPED_UNDER_ROOT}`;
    if ((await unitState(ctx, 'is-active', NGINX_UNIT)) !== 'active') {
      return 'nginx is not running; the new configuration applies when it starts';
    }
    try {
      await runChecked(ctx, nginxReload());
    } catch (error) {
      await restore(changes);
      throw new StepError(
        `nginx did not reload (${(error as Error).message}); the previous files were restored`,
        'look at journalctl -u nginx for the reason',
      );
    }
    return undefined;
  },
};
