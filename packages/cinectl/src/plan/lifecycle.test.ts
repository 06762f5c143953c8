import { describe, expect, it } from 'vitest';
import { planLines, stepAt } from '../../test/support/plan-text.ts';
import { parseDeployConfig } from '../state/deploy-config.ts';
import { DEFAULT_NGINX_HOST } from './nginx.ts';
import { removePlan } from './remove.ts';
import { rollbackPlan } from './rollback.ts';
import { enableAutostartPlan, startAllPlan, stopAllPlan } from './services.ts';

const NGINX_CONF = 'events {}\nhttp {\n    include cinectl/*.conf;\n}\n';

describe('rollbackPlan', () => {
  const plan = rollbackPlan({
    app: 'myapp',
    ports: [8001, 8002],
    domain: null,
    created: '2025-03-14T09:15:00.000Z',
    current: '20250314T091500Z',
    target: '20250301T080000Z',
    history: { releases: {}, live: [{ release: '20250314T091500Z', at: '2025-03-14T09:20:00.000Z' }] },
    releases: ['20250301T080000Z', '20250314T091500Z'],
    now: '2025-03-15T10:00:00.000Z',
  });

  it('switches current back, restarts one at a time (able to return), records the release', () => {
    expect(planLines(plan)).toEqual([
      'symlink /var/www/myapp/current -> releases/20250301T080000Z',
      'rolling-restart 8001,8002 releases/20250301T080000Z (back to releases/20250314T091500Z) [when current]',
      'write /var/www/myapp/.deploy_config 0644 root:root',
      'write /var/www/myapp/.release_history.json 0644 root:root',
    ]);
    expect(parseDeployConfig(stepAt(plan, 'write', /Record release/).content).config?.release).toBe('20250301T080000Z');
    expect(JSON.parse(stepAt(plan, 'write', /went live/).content).live.at(-1)).toEqual({
      release: '20250301T080000Z',
      at: '2025-03-15T10:00:00.000Z',
    });
  });
});

describe('removePlan', () => {
  const base = {
    app: 'myapp',
    ports: [8001, 8002],
    otherApps: [{ name: 'other', ports: [8013] }],
    nginxConf: NGINX_CONF,
    nginx: DEFAULT_NGINX_HOST,
  };

  it('stops and removes the units and nginx files, frees the block, keeps the data', () => {
    const plan = removePlan({ ...base, purge: false });
    expect(planLines(plan)).toEqual([
      'service stop myapp@8001.service',
      'service disable myapp@8001.service',
      'service stop myapp@8002.service',
      'service disable myapp@8002.service',
      'nginx /etc/nginx/nginx.conf + cinectl/http.conf cinectl/proxy.inc cinectl/localhost.conf cinectl/app-other.conf',
      'service stop cinectl-backup@myapp.timer',
      'service disable cinectl-backup@myapp.timer',
      'remove /etc/systemd/system/myapp@8001.service.d -r',
      'remove /etc/systemd/system/myapp@8002.service.d -r',
      'remove /etc/systemd/system/myapp@.service',
      'run systemctl daemon-reload [live] [when units]',
      'remove /var/www/myapp/.deploy_config',
    ]);
  });

  it('with --purge also deletes releases, .env, data and the account', () => {
    expect(planLines(removePlan({ ...base, purge: true })).slice(-3)).toEqual([
      'remove /var/www/myapp -r',
      'remove /var/lib/myapp -r',
      'user myapp absent',
    ]);
  });

  it('leaves nginx alone when it is not installed, and empties cinectl’s nginx files with the last app', () => {
    expect(planLines(removePlan({ ...base, nginxConf: null, purge: false })).some((l) => l.startsWith('nginx'))).toBe(
      false,
    );
    const last = stepAt(removePlan({ ...base, otherApps: [], purge: false }), 'nginx', /nginx/);
    expect(last.files.size).toBe(0);
  });
});

describe('start-all, stop-all, enable-autostart', () => {
  const input = {
    mongodb: true,
    nginx: true,
    apps: [
      { name: 'one', ports: [8001, 8002] },
      { name: 'two', ports: [8013] },
    ],
  };

  it('start MongoDB, then the workers, then nginx', () => {
    expect(planLines(startAllPlan(input))).toEqual([
      'service start mongodb.service',
      'service start one@8001.service',
      'service start one@8002.service',
      'service start two@8013.service',
      'service start nginx.service',
    ]);
  });

  it('stop in the reverse order', () => {
    expect(planLines(stopAllPlan(input))).toEqual([
      'service stop nginx.service',
      'service stop two@8013.service',
      'service stop one@8002.service',
      'service stop one@8001.service',
      'service stop mongodb.service',
    ]);
  });

  it('enable everything that is installed', () => {
    expect(planLines(enableAutostartPlan({ ...input, mongodb: false }))).toEqual([
      'service enable one@8001.service',
      'service enable one@8002.service',
      'service enable two@8013.service',
      'service enable nginx.service',
    ]);
  });
});
