import { resolve } from 'node:path';
import { execa } from 'execa';

export const CLI = resolve(import.meta.dirname, '../../src/cli.ts');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs `node src/cli.ts …args` as a separate process, the way a user would. */
export async function cinectl(args: string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  const result = await execa('node', [CLI, ...args], {
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    timeout: options.timeoutMs ?? 60_000,
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
