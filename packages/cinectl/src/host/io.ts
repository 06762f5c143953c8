import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { execa } from 'execa';
import { InternalError } from '../errors.ts';
import { interruptSignal } from './interrupt.ts';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as the command wrote them (the real host only). */
  all?: string;
  /** Why it failed when it never ran or was killed (not found, timed out), for messages. */
  failure?: string;
}

export interface ExecOptions {
  cwd?: string;
  timeoutMs?: number;
  /** Called with each line of output while the command runs (progress display). */
  onLine?: (line: string) => void;
  /** Extra environment variables, over the fixed ones (the way secrets reach a command). */
  env?: Record<string, string>;
  /** The command writes straight to cinectl's stdout and stderr (journalctl for `cinectl logs`). */
  inherit?: boolean;
}

/**
 * The outside world of the executor: processes, loopback HTTP and time. The real one uses execa (argv arrays,
 * never a shell) and fetch; tests pass their own to fake what a throwaway root cannot have (systemd, workers).
 */
export interface HostIO {
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** The same as exec, waiting for the command: only for quick questions asked while a plan is built (nginx -v). */
  execSync(argv: readonly string[], options?: Pick<ExecOptions, 'timeoutMs'>): ExecResult;
  httpGet(url: string, timeoutMs: number): Promise<{ status: number; body: string } | undefined>;
  /** True when something accepts a TCP connection on 127.0.0.1:port. */
  isListening(port: number, timeoutMs: number): Promise<boolean>;
  sleep(ms: number): Promise<void>;
  isSuperuser(): boolean;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** The caller's PATH plus the sbin directories, where useradd, nginx and friends live on Debian (Arch merges them). */
export function commandPath(path = process.env.PATH ?? ''): string {
  const dirs = path.split(':').filter(Boolean);
  for (const dir of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!dirs.includes(dir)) dirs.push(dir);
  return dirs.join(':');
}

async function exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (!file) throw new InternalError('empty command');
  const subprocess = execa(file, args, {
    cwd: options.cwd,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    reject: false,
    stdin: 'ignore',
    shell: false,
    cancelSignal: interruptSignal,
    ...(options.inherit ? { stdout: 'inherit', stderr: 'inherit' } : { all: true }),
    env: { FORCE_COLOR: '0', NO_COLOR: '1', PATH: commandPath(), ...options.env },
  });
  if (options.onLine) {
    for (const stream of [subprocess.stdout, subprocess.stderr]) {
      // A line may arrive in two chunks: the part after the last newline waits for the rest.
      let rest = '';
      stream?.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString('utf8')).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) options.onLine?.(line.trimEnd());
      });
      stream?.on('end', () => {
        if (rest.trim()) options.onLine?.(rest.trimEnd());
      });
    }
  }
  const result = await subprocess;
  const failure = result.timedOut
    ? `timed out after ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`
    : result.exitCode === undefined
      ? (result.shortMessage ?? 'could not be started')
      : undefined;
  return {
    exitCode: result.exitCode ?? 127,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    all: String(result.all ?? ''),
    ...(failure ? { failure } : {}),
  };
}

function execSync(argv: readonly string[], options: Pick<ExecOptions, 'timeoutMs'> = {}): ExecResult {
  const [file, ...args] = argv;
  if (!file) throw new InternalError('empty command');
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result = spawnSync(file, args, {
    encoding: 'utf8',
    timeout,
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
    env: { FORCE_COLOR: '0', NO_COLOR: '1', PATH: commandPath() },
  });
  const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const failure = timedOut
    ? `timed out after ${Math.round(timeout / 1000)} s`
    : result.error
      ? result.error.message
      : undefined;
  return {
    exitCode: result.status ?? 127,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    ...(failure ? { failure } : {}),
  };
}

async function httpGet(url: string, timeoutMs: number): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

function isListening(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', timeout: timeoutMs });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

export const realHostIO: HostIO = {
  exec,
  execSync,
  httpGet,
  isListening,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  isSuperuser: () => process.getuid?.() === 0,
};

/** The last non-empty line of a command's output, for one-line error messages. */
export function lastLine(result: ExecResult): string {
  const last = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1);
  return result.failure ?? last(result.stderr) ?? last(result.stdout) ?? `exit code ${result.exitCode}`;
}

/** The last `count` non-empty lines a command wrote (both streams), for the error of a failed step. */
export function tailLines(result: ExecResult, count: number): string[] {
  const text = result.all || `${result.stdout}\n${result.stderr}`;
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .slice(-count);
}
