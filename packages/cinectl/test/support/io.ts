import { type ExecResult, type HostIO, realHostIO } from '../../src/host/io.ts';
import { formatCommand } from '../../src/host/root.ts';

export interface RecordingIO extends HostIO {
  /** Every command run, as a printable line, in order. */
  commands: string[];
}

/**
 * The real host I/O, recording each command; `exec` may answer some commands itself (return undefined to let
 * the real command run) — for what a throwaway root cannot have, like a running systemd.
 */
export function recordingIO(
  overrides: {
    exec?: (argv: readonly string[]) => ExecResult | undefined | Promise<ExecResult | undefined>;
    httpGet?: HostIO['httpGet'];
    isSuperuser?: () => boolean;
  } = {},
): RecordingIO {
  const commands: string[] = [];
  return {
    ...realHostIO,
    commands,
    async exec(argv, options) {
      commands.push(formatCommand(argv));
      return (await overrides.exec?.(argv)) ?? realHostIO.exec(argv, options);
    },
    httpGet: overrides.httpGet ?? realHostIO.httpGet,
    isSuperuser: overrides.isSuperuser ?? realHostIO.isSuperuser,
  };
}

export const ok = (stdout = ''): ExecResult => ({ exitCode: 0, stdout, stderr: '' });
