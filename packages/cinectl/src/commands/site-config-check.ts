import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CinectlError, UsageError } from '../errors.ts';
import { hostPathExists } from '../host/facts.ts';
import { underRoot } from '../host/root.ts';
import { appPaths, NODE_PATH } from '../plan/layout.ts';
import type { CommandContext } from './context.ts';

/** The site's own configuration check in each release (packages/web/src/scripts/check-env.ts). */
const CHECK_SCRIPT = 'dist/scripts/check-env.js';

/**
 * Checks .env plus a candidate site.env with the live release's own configuration rules, before anything is
 * written. The candidate goes to a 0700 directory of cinectl's own in the temp directory, removed right after.
 * A bad value is refused with the site's own message.
 */
export async function checkSiteEnv(ctx: CommandContext, app: string, siteEnv: string): Promise<void> {
  const { root } = ctx.options;
  const paths = appPaths(app);
  const script = `${paths.current}/${CHECK_SCRIPT}`;
  if (!(await hostPathExists(root, script))) {
    throw new CinectlError(
      `${app}'s live release has no configuration check (${script}), so site.env is left as it is`,
      {
        hint: `deploy a newer release first: cinectl deploy-app ${app}`,
      },
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'cinectl-env-'));
  try {
    const candidate = join(dir, 'site.env');
    writeFileSync(candidate, siteEnv, { mode: 0o600 });
    // A --root tree's release runs with this machine's node: the tree's /usr/bin/node is not this machine's.
    const node = root === '/' ? NODE_PATH : process.execPath;
    const result = await ctx.io.exec([node, underRoot(root, script), underRoot(root, paths.envFile), candidate], {
      timeoutMs: 30_000,
    });
    if (result.exitCode === 0 && !result.failure) return;
    const problems = result.stderr.trim().split('\n').filter(Boolean);
    if (result.exitCode === 1 && problems.length > 0) {
      throw new UsageError(
        `${app}'s configuration refuses ${problems.length === 1 ? 'this value' : 'these values'}: ${problems.join('; ')}`,
        'site.env is left as it is; fix the value and run the command again',
      );
    }
    throw new CinectlError(
      `${app}'s configuration check did not run (${result.failure ?? `exit code ${result.exitCode}`})`,
      {
        hint: `site.env is left as it is; look at ${script}`,
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
