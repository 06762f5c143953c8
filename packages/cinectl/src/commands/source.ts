import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import type { HostIO } from '../host/io.ts';
import { WEB_PACKAGE } from '../plan/argv.ts';
import { BUILD_INPUTS, BUILD_SKIPPED_DIRS } from '../plan/layout.ts';

/** The CineStream checkout this cinectl belongs to (packages/cinectl/src/commands → repository root). */
export const OWN_CHECKOUT = resolve(import.meta.dirname, '../../../..');

/** Checks that `dir` is a CineStream checkout before anything is planned; returns its absolute path. */
export async function checkSource(dir: string): Promise<string> {
  const source = resolve(dir);
  const hint = 'pass --source with the root of a CineStream checkout (the folder with pnpm-workspace.yaml)';
  const info = await stat(source).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`source directory ${source} does not exist`, hint);
  let name: unknown;
  try {
    name = JSON.parse(await readFile(join(source, 'packages/web/package.json'), 'utf8')).name;
  } catch {
    name = undefined;
  }
  const workspace = await stat(join(source, 'pnpm-workspace.yaml')).catch(() => undefined);
  if (name !== WEB_PACKAGE || !workspace) {
    throw new UsageError(`${source} does not look like a CineStream checkout (no ${WEB_PACKAGE} package)`, hint);
  }
  return source;
}

const SKIPPED_DIRS = new Set(BUILD_SKIPPED_DIRS);

async function collect(source: string, path: string, into: string[]): Promise<void> {
  const full = join(source, path);
  const info = await stat(full).catch(() => undefined);
  if (!info) return;
  if (info.isFile()) {
    into.push(path);
    return;
  }
  if (!info.isDirectory()) return;
  for (const entry of await readdir(full, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
    await collect(source, relative(source, join(full, entry.name)), into);
  }
}

/** `sha256:…` over the paths and contents of everything a release is built from. */
export async function sourceFingerprint(source: string): Promise<string> {
  const files: string[] = [];
  for (const input of BUILD_INPUTS) await collect(source, input, files);
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash
      .update(file)
      .update('\0')
      .update(await readFile(join(source, file)))
      .update('\0');
  }
  return `sha256:${hash.digest('hex')}`;
}

/** The checkout's git commit (with `+changes` when files differ from it); null when it is not a git checkout. */
export function sourceCommit(io: HostIO, source: string): string | null {
  // --no-optional-locks: `git status` must not refresh the checkout's index, which would write into .git.
  const git = (...args: string[]) =>
    io.execSync(['git', '--no-optional-locks', '-c', 'safe.directory=*', '-C', source, ...args]);
  const head = git('rev-parse', '--verify', 'HEAD');
  if (head.exitCode !== 0 || head.failure) return null;
  const commit = head.stdout.trim();
  const changes = git('status', '--porcelain', '--untracked-files=no');
  return changes.exitCode === 0 && changes.stdout.trim() !== '' ? `${commit}+changes` : commit;
}
