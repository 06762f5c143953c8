import { currentRelease, listReleases, readReleaseHistory } from '../state/app-state.ts';
import { lastLive } from '../state/release-history.ts';
import type { CommandContext } from './context.ts';
import { requireApp } from './find-app.ts';

export interface ReleaseStatus {
  release: string;
  commit: string | null;
  built: string | null;
  /** When it last went live; null when it never did (a failed deploy's build). */
  lastLive: string | null;
  live: boolean;
}

/** releases: an app's release directories, oldest first, with commit, build time, last go-live and which is live. */
export async function releases(ctx: CommandContext, name: string, options: { json?: boolean }): Promise<void> {
  const { root } = ctx.options;
  const { app } = await requireApp(root, name);
  const current = await currentRelease(root, app.name);
  const history = await readReleaseHistory(root, app.name);
  const list: ReleaseStatus[] = (await listReleases(root, app.name)).map((release) => ({
    release,
    commit: history.releases[release]?.commit ?? null,
    built: history.releases[release]?.built ?? null,
    lastLive: lastLive(history, release),
    live: release === current,
  }));
  if (options.json) {
    ctx.print(JSON.stringify({ app: app.name, releases: list }, null, 2));
    return;
  }
  if (list.length === 0) {
    ctx.print(`${app.name} has no releases yet — deploy one with cinectl deploy-app ${app.name}`);
    return;
  }
  const rows = list.map((entry) => [
    entry.live ? '*' : ' ',
    entry.release,
    entry.commit ? entry.commit.slice(0, 12) + (entry.commit.endsWith('+changes') ? '+changes' : '') : 'unknown',
    entry.built ?? '-',
    entry.lastLive ?? 'never live',
  ]);
  const header = [' ', 'RELEASE', 'COMMIT', 'BUILT', 'LAST LIVE'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  for (const row of [header, ...rows]) {
    ctx.print(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  }
}
