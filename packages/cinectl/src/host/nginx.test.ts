import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingIO } from '../../test/support/io.ts';
import { makeRoot, removeRoot, treeHash } from '../../test/support/root.ts';
import { StepFailedError } from '../errors.ts';
import { createSilentLogger } from '../log.ts';
import { DEFAULT_NGINX_HOST } from '../plan/nginx.ts';
import { nginxStep } from '../plan/nginx-step.ts';
import type { NginxStep, Plan } from '../plan/types.ts';
import { executePlan, previewPlan } from './executor.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

function setup() {
  const root = makeRoot();
  roots.push(root);
  mkdirSync(join(root, 'var/cache/nginx'), { recursive: true });
  const conf = readFileSync(join(root, 'etc/nginx/nginx.conf'), 'utf8');
  const step = (apps: { name: string; ports: number[] }[]) =>
    nginxStep({
      apps,
      nginxConf: conf,
      host: { ...DEFAULT_NGINX_HOST, cacheDir: join(root, 'var/cache/nginx/cinectl') },
    });
  return { root, conf, step };
}

const run = (step: NginxStep, root: string, io = recordingIO()) =>
  executePlan({ title: 'nginx', steps: [step] } satisfies Plan, {
    root,
    io,
    log: createSilentLogger(),
    renderer: 'silent',
  });

const nginxDir = (root: string) => join(root, 'etc/nginx');

describe('the nginx transaction', () => {
  it('writes the files and the include line, passes the real nginx -t, and is unchanged the second time', async () => {
    const { root, step } = setup();
    const io = recordingIO();
    const results = await run(step([{ name: 'myapp', ports: [8001, 8002] }]), root, io);
    expect(results[0]).toMatchObject({ outcome: 'changed', note: 'reload cannot act on a --root tree' });
    expect(io.commands).toEqual([`nginx -t -q -c ${root}/etc/nginx/nginx.conf`]);
    expect(readFileSync(join(nginxDir(root), 'nginx.conf'), 'utf8')).toContain('include cinectl/*.conf;');
    expect(readFileSync(join(nginxDir(root), 'cinectl/app-myapp.conf'), 'utf8')).toContain('127.0.0.1:8002');

    const again = await run(step([{ name: 'myapp', ports: [8001, 8002] }]), root);
    expect(again[0]?.outcome).toBe('unchanged');
  });

  it("removes files of apps that are gone from cinectl's directory", async () => {
    const { root, step } = setup();
    await run(
      step([
        { name: 'one', ports: [8001] },
        { name: 'two', ports: [8013] },
      ]),
      root,
    );
    expect(existsSync(join(nginxDir(root), 'cinectl/app-two.conf'))).toBe(true);
    await run(step([{ name: 'one', ports: [8001] }]), root);
    expect(existsSync(join(nginxDir(root), 'cinectl/app-two.conf'))).toBe(false);
    expect(existsSync(join(nginxDir(root), 'cinectl/app-one.conf'))).toBe(true);
  });

  it('restores the previous files when nginx -t rejects the candidate', async () => {
    const { root, step } = setup();
    await run(step([{ name: 'one', ports: [8001] }]), root);
    writeFileSync(join(nginxDir(root), 'cinectl/app-stale.conf'), '# left by hand\n');
    const before = treeHash(nginxDir(root));
    const broken = step([{ name: 'one', ports: [8001, 8002] }]);
    broken.files.set('cinectl/app-one.conf', 'this_is_not_a_directive on;\n');

    const error = await run(broken, root).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StepFailedError);
    expect((error as Error).message).toMatch(
      /^failed at step 1 \(Update nginx \(test with nginx -t, then reload\)\): nginx -t rejected the new configuration \(.*unknown directive "this_is_not_a_directive".*\); the previous files were restored; already done: nothing$/,
    );
    expect(treeHash(nginxDir(root))).toBe(before);
  });

  it('shows diffs and the commands in a dry run', async () => {
    const { root, step } = setup();
    const { lines } = await previewPlan(
      { title: 'nginx', steps: [step([{ name: 'myapp', ports: [8001] }])] },
      { root, io: recordingIO(), log: createSilentLogger() },
    );
    expect(lines).toContain('    +++ /etc/nginx/cinectl/app-myapp.conf');
    expect(lines).toContain('    +    include cinectl/*.conf;');
    expect(lines.slice(-2)).toEqual([
      `    $ nginx -t -q -c ${root}/etc/nginx/nginx.conf`,
      '    (reload cannot act on a --root tree)',
    ]);
  });
});
