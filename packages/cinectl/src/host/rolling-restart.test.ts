import { mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ok, recordingIO } from '../../test/support/io.ts';
import { makeRoot, removeRoot } from '../../test/support/root.ts';
import { StepError } from '../errors.ts';
import { createSilentLogger } from '../log.ts';
import type { RollingRestartStep } from '../plan/types.ts';
import type { StepContext } from './context.ts';
import { rollingRestartHandler } from './rolling-restart.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

/**
 * A stand-in for systemd and the workers: `systemctl restart app@PORT.service` starts the worker on whatever
 * release `current` points at; a worker answers /healthz only when its release is not in `broken`.
 */
function fakeHost(root: string, broken: string[]) {
  const events: string[] = [];
  const running = new Map<number, string>();
  const io = recordingIO({
    exec: (argv) => {
      const match = /^[a-z-]+@(\d+)\.service$/.exec(argv[2] ?? '');
      if (argv[0] !== 'systemctl' || argv[1] !== 'restart' || !match)
        return { exitCode: 1, stdout: '', stderr: 'unexpected' };
      const port = Number(match[1]);
      const release = readlinkSync(join(root, 'var/www/myapp/current'));
      running.set(port, release);
      events.push(`restart ${port} on ${release}`);
      return ok();
    },
    httpGet: async (url) => {
      const port = Number(/:(\d+)\/healthz$/.exec(url)?.[1]);
      const release = running.get(port);
      if (release === undefined || broken.includes(release)) return undefined;
      return { status: 200, body: JSON.stringify({ status: 'ok', port }) };
    },
  });
  return { io, events, running };
}

function setup(broken: string[]) {
  const root = makeRoot({ nginx: false });
  roots.push(root);
  mkdirSync(join(root, 'var/www/myapp/releases'), { recursive: true });
  symlinkSync('releases/new', join(root, 'var/www/myapp/current'));
  const host = fakeHost(root, broken);
  const ctx: StepContext = { root, io: host.io, log: createSilentLogger(), progress: () => {} };
  return { root, ctx, ...host };
}

const step: RollingRestartStep = {
  kind: 'rolling-restart',
  title: 'Restart myapp',
  app: 'myapp',
  instances: [8001, 8002, 8003].map((port) => ({ unit: `myapp@${port}.service`, port })),
  healthTimeoutMs: 300,
  link: { path: '/var/www/myapp/current', target: 'releases/new', previous: 'releases/old' },
};

describe('the rolling restart', () => {
  it('restarts one worker at a time, each answering /healthz before the next', async () => {
    const { ctx, events, running } = setup([]);
    await rollingRestartHandler.apply(step, ctx);
    expect(events).toEqual([
      'restart 8001 on releases/new',
      'restart 8002 on releases/new',
      'restart 8003 on releases/new',
    ]);
    expect([...running.values()]).toEqual(['releases/new', 'releases/new', 'releases/new']);
  });

  it('goes back to the previous release when a worker never becomes healthy', async () => {
    const { root, ctx, events, running } = setup(['releases/new']);
    const error = await rollingRestartHandler.apply(step, ctx).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StepError);
    expect((error as Error).message).toBe(
      'myapp@8001.service did not answer /healthz on port 8001 within 300 ms; current points at releases/old again and 1 of 1 restarted workers answer on it',
    );
    expect((error as StepError).hint).toBe('look at journalctl -u myapp@8001.service for why the new release fails');
    expect(readlinkSync(join(root, 'var/www/myapp/current'))).toBe('releases/old');
    expect(events).toEqual(['restart 8001 on releases/new', 'restart 8001 on releases/old']);
    expect(running.has(8002)).toBe(false);
  });

  it('restarts every worker already moved when a later one fails, and never touches the rest', async () => {
    const { ctx, events } = setup([]);
    let restarts = 0;
    const exec = ctx.io.exec;
    ctx.io.exec = async (argv, options) => {
      if (argv[1] === 'restart' && argv[2] === 'myapp@8002.service' && restarts++ === 0) {
        return { exitCode: 1, stdout: '', stderr: 'Job for myapp@8002.service failed.' };
      }
      return exec(argv, options);
    };
    const error = await rollingRestartHandler.apply(step, ctx).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      'systemctl restart myapp@8002.service exited with code 1: Job for myapp@8002.service failed.; current points at releases/old again and 2 of 2 restarted workers answer on it',
    );
    expect(events).toEqual([
      'restart 8001 on releases/new',
      'restart 8001 on releases/old',
      'restart 8002 on releases/old',
    ]);
  });

  it('is skipped under --root', async () => {
    const { ctx } = setup([]);
    expect(await rollingRestartHandler.inspect(step, ctx)).toEqual({
      status: 'skip',
      reason: 'cannot act on a --root tree',
    });
  });
});
