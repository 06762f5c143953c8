import { CinectlError } from '../errors.ts';
import { isAppNginxLine, journalctlArgv, nginxTailArgv, parseSince, parseWorker } from '../plan/logs.ts';
import type { CommandContext } from './context.ts';
import { requireApp } from './find-app.ts';

export interface LogsOptions {
  follow?: boolean;
  since?: string;
  worker?: string;
  nginx?: boolean;
}

/** logs APP: the workers' journal (journalctl's own output), or with --nginx the app's lines of nginx's logs. */
export async function logs(ctx: CommandContext, name: string, options: LogsOptions): Promise<void> {
  const { root } = ctx.options;
  const { app } = await requireApp(root, name);
  const input = {
    app: app.name,
    root,
    follow: options.follow ?? false,
    ...(options.since === undefined ? {} : { since: parseSince(options.since) }),
    ...(options.worker === undefined ? {} : { worker: parseWorker(options.worker, app.ports, app.name) }),
  };
  const argv = options.nginx ? nginxTailArgv(input) : journalctlArgv(input);
  const result = options.nginx
    ? await ctx.io.exec(argv, {
        timeoutMs: input.follow ? 0 : 30_000,
        onLine: (line) => {
          if (isAppNginxLine(line, app)) ctx.print(line);
        },
      })
    : await ctx.io.exec(argv, { timeoutMs: input.follow ? 0 : 60_000, inherit: true });
  if (result.failure || (result.exitCode !== 0 && !options.nginx)) {
    throw new CinectlError(
      `${argv[0]} could not show ${app.name}'s logs (${result.failure ?? `exit code ${result.exitCode}`})`,
      {
        hint: options.nginx ? 'is nginx installed? its logs are in /var/log/nginx' : 'is systemd-journald running?',
      },
    );
  }
}
