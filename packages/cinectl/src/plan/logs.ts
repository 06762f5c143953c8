import { UsageError } from '../errors.ts';
import { NGINX_LOGS } from './layout.ts';
import { instanceName } from './systemd.ts';

export interface LogsInput {
  app: string;
  root: string;
  follow: boolean;
  since?: string;
  /** One worker's port; all of the app's workers when not given. */
  worker?: number;
}

/** What journalctl's --since takes that cinectl lets through: dates, times, today/yesterday, "-2h", "3 days ago". */
const SINCE =
  /^(now|today|yesterday|-?\d{1,5}\s?(s|sec|seconds?|m|min|minutes?|h|hours?|d|days?|w|weeks?)( ago)?|\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?|\d{2}:\d{2}(:\d{2})?)$/;

export function parseSince(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!SINCE.test(text)) {
    throw new UsageError(
      `--since ${JSON.stringify(text)} is not a time journalctl understands`,
      'e.g. --since "2025-03-14 09:00", --since today, --since -2h or --since "3 days ago"',
    );
  }
  return text;
}

export function parseWorker(text: string | undefined, ports: readonly number[], app: string): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || !ports.includes(port)) {
    throw new UsageError(
      `--worker ${JSON.stringify(text)} is not one of ${app}'s ports`,
      `${app}'s workers: ${ports.join(', ')}`,
    );
  }
  return port;
}

/** The app's journal: every worker (`APP@*.service`) or one, from a --root tree's own journal when there is one. */
export function journalctlArgv(input: LogsInput): string[] {
  return [
    'journalctl',
    ...(input.root === '/' ? [] : [`--root=${input.root}`]),
    '--no-pager',
    '--output=short-iso',
    `--unit=${input.worker === undefined ? `${input.app}@*.service` : instanceName(input.app, input.worker)}`,
    ...(input.since === undefined ? [] : [`--since=${input.since}`]),
    ...(input.follow ? ['--follow'] : ['--lines=200']),
  ];
}

/** nginx's access and error logs, the last lines or followed; cinectl keeps the app's lines (nginxLineOf). */
export function nginxTailArgv(input: Pick<LogsInput, 'root' | 'follow'>): string[] {
  const files = NGINX_LOGS.map((file) => (input.root === '/' ? file : `${input.root}${file}`));
  return ['tail', '--quiet', '--lines=1000', ...(input.follow ? ['--follow=name', '--retry'] : []), ...files];
}

/** True for an nginx log line about the app: a request under /APP/, its domain, or its upstream and ports. */
export function isAppNginxLine(
  line: string,
  app: { name: string; domain: string | null; ports: readonly number[] },
): boolean {
  if (line.includes(` /${app.name}/`) || line.includes(`"/${app.name}/`) || line.includes(`${app.name}_backend`))
    return true;
  if (app.domain && line.includes(app.domain)) return true;
  return app.ports.some((port) => line.includes(`127.0.0.1:${port}`));
}
