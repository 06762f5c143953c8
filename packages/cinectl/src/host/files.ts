import type { Stats } from 'node:fs';
import { chmod, chown, lstat, mkdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StepError } from '../errors.ts';
import type { MkdirStep, MoveStep, Owner, RemoveStep, SymlinkStep, WriteStep } from '../plan/types.ts';
import { resolveOwner } from './accounts.ts';
import { type Inspection, isUnderRoot, type StepContext, type StepHandler } from './context.ts';
import { fileDiff } from './diff.ts';
import { underRoot } from './root.ts';

/** A file's text, or null when there is no such file. */
export async function readFileOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Ownership is applied by a superuser; an unprivileged run under --root leaves files owned by the caller. */
function appliesOwnership(ctx: StepContext): boolean {
  return ctx.io.isSuperuser() || !isUnderRoot(ctx);
}

async function ownerIds(ctx: StepContext, owner: Owner): Promise<{ uid: number; gid: number } | null> {
  if (!appliesOwnership(ctx)) return null;
  const ids = await resolveOwner(ctx.root, owner);
  if (!ids) throw new StepError(`the account ${owner.user}:${owner.group} does not exist`);
  return ids;
}

const octal = (mode: number) => `0${(mode & 0o7777).toString(8)}`;

/** Differences of mode and owner, as preview lines; empty when both are as wanted. */
async function attributeChanges(ctx: StepContext, stats: Stats | null, mode: number, owner: Owner): Promise<string[]> {
  const changes: string[] = [];
  if (stats && (stats.mode & 0o7777) !== mode) changes.push(`mode ${octal(stats.mode)} → ${octal(mode)}`);
  if (appliesOwnership(ctx)) {
    const ids = await resolveOwner(ctx.root, owner);
    if (!ids || !stats || stats.uid !== ids.uid || stats.gid !== ids.gid) {
      if (stats) changes.push(`owner ${stats.uid}:${stats.gid} → ${owner.user}:${owner.group}`);
    }
  }
  return changes;
}

async function setAttributes(ctx: StepContext, path: string, mode: number, owner: Owner): Promise<void> {
  await chmod(path, mode);
  const ids = await ownerIds(ctx, owner);
  if (ids) await chown(path, ids.uid, ids.gid);
}

export const writeHandler: StepHandler<WriteStep> = {
  async inspect(step, ctx): Promise<Inspection> {
    const real = underRoot(ctx.root, step.path);
    const stats = await statOrNull(real);
    if (stats && !stats.isFile()) return { status: 'change', preview: [`replace the ${describe(stats)} ${step.path}`] };
    const before = stats ? await readFile(real, 'utf8') : null;
    const attributes = await attributeChanges(ctx, stats, step.mode, step.owner);
    if (before === step.content && attributes.length === 0) return { status: 'unchanged' };
    const preview = before === step.content ? [] : fileDiff(step.path, before, step.content, step.secrets);
    if (!stats) preview.push(`mode ${octal(step.mode)}, owner ${step.owner.user}:${step.owner.group}`);
    return { status: 'change', preview: [...preview, ...attributes] };
  },
  async apply(step, ctx) {
    const real = underRoot(ctx.root, step.path);
    await mkdir(dirname(real), { recursive: true });
    const temporary = `${real}.cinectl-new`;
    await rm(temporary, { force: true });
    await writeFile(temporary, step.content, { mode: 0o600 });
    await setAttributes(ctx, temporary, step.mode, step.owner);
    await rename(temporary, real);
    return undefined;
  },
};

function describe(stats: Stats): string {
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symlink';
  return 'file';
}

export const mkdirHandler: StepHandler<MkdirStep> = {
  async inspect(step, ctx) {
    const stats = await statOrNull(underRoot(ctx.root, step.path));
    if (stats && !stats.isDirectory()) {
      throw new StepError(`${step.path} exists but is a ${describe(stats)}, not a directory`);
    }
    const attributes = await attributeChanges(ctx, stats, step.mode, step.owner);
    if (stats && attributes.length === 0) return { status: 'unchanged' };
    return {
      status: 'change',
      preview: stats
        ? attributes
        : [`create ${step.path} (mode ${octal(step.mode)}, owner ${step.owner.user}:${step.owner.group})`],
    };
  },
  async apply(step, ctx) {
    const real = underRoot(ctx.root, step.path);
    await mkdir(dirname(real), { recursive: true });
    await mkdir(real, { recursive: true, mode: step.mode });
    await setAttributes(ctx, real, step.mode, step.owner);
    return undefined;
  },
};

const removedPath = (step: RemoveStep, root: string) => (step.onThisMachine ? step.path : underRoot(root, step.path));

export const removeHandler: StepHandler<RemoveStep> = {
  async inspect(step, ctx) {
    const stats = await statOrNull(removedPath(step, ctx.root));
    if (!stats) return { status: 'unchanged' };
    const what = stats.isDirectory() && step.recursive ? ' and everything in it' : '';
    return { status: 'change', preview: [`remove ${step.path}${what}`] };
  },
  async apply(step, ctx) {
    const real = removedPath(step, ctx.root);
    const stats = await statOrNull(real);
    if (!stats) return undefined;
    if (stats.isDirectory() && !step.recursive) {
      throw new StepError(`${step.path} is a directory; it was not removed`);
    }
    await rm(real, { recursive: step.recursive ?? false, force: true });
    return undefined;
  },
};

async function readlinkOrNull(path: string): Promise<string | null> {
  const stats = await statOrNull(path);
  if (!stats) return null;
  if (!stats.isSymbolicLink()) throw new StepError(`${path} exists and is not a symlink`);
  return readlink(path);
}

/** Points a symlink at a target: a link under a temporary name renamed over the old one, so it never dangles. */
export async function switchSymlink(real: string, target: string): Promise<void> {
  await mkdir(dirname(real), { recursive: true });
  const temporary = `${real}.cinectl-new`;
  await rm(temporary, { force: true });
  await symlink(target, temporary);
  await rename(temporary, real);
}

export const symlinkHandler: StepHandler<SymlinkStep> = {
  async inspect(step, ctx) {
    const current = await readlinkOrNull(underRoot(ctx.root, step.path));
    if (current === step.target) return { status: 'unchanged' };
    const was = current === null ? '' : ` (was ${current})`;
    return { status: 'change', preview: [`${step.path} → ${step.target}${was}`] };
  },
  async apply(step, ctx) {
    await switchSymlink(underRoot(ctx.root, step.path), step.target);
    return undefined;
  },
};

export const moveHandler: StepHandler<MoveStep> = {
  async inspect(step, ctx) {
    const from = await statOrNull(underRoot(ctx.root, step.from));
    const to = await statOrNull(underRoot(ctx.root, step.to));
    if (!from && to) return { status: 'unchanged' };
    return { status: 'change', preview: [`move ${step.from} → ${step.to}`] };
  },
  async apply(step, ctx) {
    const from = underRoot(ctx.root, step.from);
    const to = underRoot(ctx.root, step.to);
    if (!(await statOrNull(from))) {
      if (await statOrNull(to)) return undefined;
      throw new StepError(`${step.from} does not exist, so there is nothing to move`);
    }
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
    return undefined;
  },
};
