import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ok, recordingIO } from '../../test/support/io.ts';
import { createSilentLogger } from '../log.ts';
import type { Plan } from '../plan/types.ts';
import { executePlan } from './executor.ts';
import { systemdMicros } from './probes.ts';

const scratch = mkdtempSync(join(tmpdir(), 'cinectl-probe-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const CONFIG = join(scratch, 'mongodb.conf');
writeFileSync(CONFIG, 'net:\n  bindIp: 127.0.0.1\n');
const WRITTEN = new Date('2025-03-14T09:15:00.500Z');
utimesSync(CONFIG, WRITTEN, WRITTEN);

const restartPlan: Plan = {
  title: 'MongoDB',
  steps: [
    {
      kind: 'service',
      title: 'Restart mongodb.service when it runs with an older configuration',
      unit: 'mongodb.service',
      action: 'restart',
      unless: { kind: 'unit-started-after', unit: 'mongodb.service', path: CONFIG },
    },
  ],
};

/** Runs the restart step on "the running host", with systemd answered by `show` (every systemctl call recorded). */
async function restartWith(show: { exitCode: number; stdout: string }) {
  const io = recordingIO({
    exec: (argv) => {
      if (argv[0] !== 'systemctl') throw new Error(`unexpected command ${argv.join(' ')}`);
      return argv[1] === 'show' ? { ...show, stderr: '' } : ok();
    },
  });
  const [result] = await executePlan(restartPlan, { root: '/', io, log: createSilentLogger(), renderer: 'silent' });
  return { outcome: result?.outcome, commands: io.commands };
}

const since = (timestamp: string) => ({
  exitCode: 0,
  stdout: `ActiveState=active\nActiveEnterTimestamp=${timestamp}\n`,
});

describe('restarting mongod when it runs with an older configuration', () => {
  it('restarts when mongod became active before the file was written (a run that stopped before its restart)', async () => {
    const { outcome, commands } = await restartWith(since('Fri 2025-03-14 09:15:00.499999 UTC'));
    expect(outcome).toBe('changed');
    expect(commands).toEqual([
      'systemctl show --timestamp=us+utc --property=ActiveState,ActiveEnterTimestamp mongodb.service',
      'systemctl restart mongodb.service',
    ]);
  });

  it('leaves a mongod alone that started after the file was written', async () => {
    const { outcome, commands } = await restartWith(since('Fri 2025-03-14 09:15:00.500001 UTC'));
    expect(outcome).toBe('unchanged');
    expect(commands).not.toContain('systemctl restart mongodb.service');
  });

  it('leaves a stopped mongod to the start step, and restarts when systemd cannot say', async () => {
    const stopped = await restartWith({ exitCode: 0, stdout: 'ActiveState=inactive\nActiveEnterTimestamp=\n' });
    expect(stopped.outcome).toBe('unchanged');
    const unknown = await restartWith({ exitCode: 1, stdout: '' });
    expect(unknown.outcome).toBe('changed');
  });
});

describe('systemdMicros', () => {
  it('reads the timestamps of systemctl show --timestamp=us+utc', () => {
    expect(systemdMicros('Fri 2025-03-14 09:15:00.000123 UTC')).toBe(Date.UTC(2025, 2, 14, 9, 15) * 1000 + 123);
    expect(systemdMicros('Fri 2025-03-14 09:15:00 UTC')).toBe(Date.UTC(2025, 2, 14, 9, 15) * 1000);
    expect(systemdMicros('')).toBeNull();
    expect(systemdMicros('n/a')).toBeNull();
  });
});
