import type { Sensitive } from './sensitive.ts';

/**
 * A plan is data: an ordered list of steps built by pure functions and applied by the executor (host/).
 * Paths in steps are paths on the target host (`/var/www/app`); the executor places them under `--root`.
 */
export interface Plan {
  /** What the whole plan does, e.g. "Deploy myapp". */
  title: string;
  steps: Step[];
  /** Lines printed before the plan runs (e.g. a port block skipped because a port is in use). */
  notes?: string[];
  /** Run after the steps whatever their outcome, also after a failure or Ctrl-C (e.g. a build copy removed). */
  cleanup?: RemoveStep[];
}

/** A host path inside an argv: the executor prefixes it with `--root`; plain strings are passed as they are. */
export interface HostPath {
  readonly hostPath: string;
}

export function hostPath(path: string): HostPath {
  return { hostPath: path };
}

export type Arg = string | Sensitive | HostPath;

export interface Owner {
  user: string;
  group: string;
}

export const ROOT_OWNER: Owner = { user: 'root', group: 'root' };

/** A read-only question the executor can answer about the host. */
export type Probe =
  | { kind: 'path-exists'; path: string }
  | { kind: 'user-exists'; user: string }
  | { kind: 'healthz'; port: number; timeoutMs: number }
  /** Something accepts TCP connections on 127.0.0.1:port within the time (a database that is starting). */
  | { kind: 'tcp-listening'; port: number; timeoutMs: number }
  /** The command exits 0 (e.g. a mongosh script that finds a user already as wanted). Needs the running host. */
  | { kind: 'command-succeeds'; argv: Arg[]; env?: StepEnv; timeoutMs?: number }
  /** Installed packages satisfy every name (`pacman -T`, on the --root tree's own database there). */
  | { kind: 'packages-installed'; packages: string[] }
  /** The unit is not running, or it became active after `path` last changed: it runs with the file as it is. */
  | { kind: 'unit-started-after'; unit: string; path: string };

/** Environment variables for a command, over cinectl's own; Sensitive values are shown as [REDACTED]. */
export type StepEnv = Record<string, string | Sensitive>;

interface StepBase {
  /** Human title shown in progress, dry-run and errors. */
  title: string;
  /** Lets later steps name this one in `when`. */
  id?: string;
  /** Run only when at least one of these steps changed something in this run; otherwise "unchanged". */
  when?: { changed: string[] };
}

export interface RunStep extends StepBase {
  kind: 'run';
  argv: Arg[];
  /** Working directory: a path on this machine, or a HostPath under --root. */
  cwd?: string | HostPath;
  /** Already done when this probe holds: the step is reported unchanged and not run. */
  unless?: Probe;
  /** Acts on the running system (daemon-reload, reload): skipped under --root. */
  live?: boolean;
  timeoutMs?: number;
  /** Passwords reach a command here, never in argv (which `ps` shows to every user). */
  env?: StepEnv;
  /** What to tell the user when the command fails. */
  hint?: string;
}

export interface WriteStep extends StepBase {
  kind: 'write';
  path: string;
  content: string;
  mode: number;
  owner: Owner;
  /** Values inside `content` that must never be printed; diffs show them as [REDACTED]. */
  secrets?: Sensitive[];
}

export interface MkdirStep extends StepBase {
  kind: 'mkdir';
  path: string;
  mode: number;
  owner: Owner;
}

export interface RemoveStep extends StepBase {
  kind: 'remove';
  path: string;
  /** `path` is on this machine (cinectl's temp directory), not a host path under --root. */
  onThisMachine?: boolean;
  /** Remove a directory with everything in it. */
  recursive?: boolean;
}

/** Points `path` at `target` atomically (a symlink under a temporary name, then rename). */
export interface SymlinkStep extends StepBase {
  kind: 'symlink';
  path: string;
  /** Link text, relative to the link's directory so the tree works under any root. */
  target: string;
}

/** Renames `from` to `to` (same file system); unchanged when `from` is gone and `to` exists. */
export interface MoveStep extends StepBase {
  kind: 'move';
  from: string;
  to: string;
}

/** A system account: `useradd --system` / `userdel`; unchanged when the account is already as wanted. */
export interface UserStep extends StepBase {
  kind: 'user';
  name: string;
  ensure: 'present' | 'absent';
  home: string;
  shell: string;
}

export type ServiceAction = 'enable' | 'disable' | 'start' | 'stop' | 'restart' | 'reload';

export interface ServiceStep extends StepBase {
  kind: 'service';
  unit: string;
  action: ServiceAction;
  /** Already done when this probe holds: the step is reported unchanged and not run. */
  unless?: Probe;
}

/** Fails the plan unless the probe holds; never counts as a change. */
export interface CheckStep extends StepBase {
  kind: 'check';
  what: string;
  probe: Probe;
  hint?: string;
}

/**
 * The nginx transaction: write the candidate files (keeping the previous ones), `nginx -t`, then reload; when the
 * test fails the previous files are restored and the step fails with nginx's message.
 */
export interface NginxStep extends StepBase {
  kind: 'nginx';
  /** `/etc/nginx/nginx.conf`. */
  confPath: string;
  /** The whole nginx.conf as it must be (with cinectl's include line). */
  conf: string;
  /** cinectl's own directory, relative to the nginx.conf directory; files in it not in `files` or `keep` are removed. */
  includeDir: string;
  /** Path relative to the nginx.conf directory → content. */
  files: Map<string, string>;
  /** Files in `includeDir` (relative to the nginx.conf directory) left as they are: those of broken apps. */
  keep?: string[];
}

export interface WorkerInstance {
  unit: string;
  port: number;
}

/**
 * Zero-downtime restart: one instance at a time, each answering /healthz before the next. When one never does,
 * `link` is pointed back at `previous`, the instances restarted so far are restarted again, and the step fails.
 */
export interface RollingRestartStep extends StepBase {
  kind: 'rolling-restart';
  app: string;
  instances: WorkerInstance[];
  healthTimeoutMs: number;
  link: { path: string; target: string; previous: string | null };
}

export type Step =
  | RunStep
  | WriteStep
  | MkdirStep
  | RemoveStep
  | SymlinkStep
  | MoveStep
  | UserStep
  | ServiceStep
  | CheckStep
  | NginxStep
  | RollingRestartStep;
