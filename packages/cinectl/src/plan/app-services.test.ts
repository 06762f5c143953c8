import { describe, expect, it } from 'vitest';
import { planLines } from '../../test/support/plan-text.ts';
import { restartPlan, siteEnvPlan, startPlan, stopPlan } from './app-services.ts';

const app = { app: 'films', ports: [8013, 8014] };

describe('app service plans', () => {
  it('restart: one rolling restart of every worker', () => {
    expect(planLines(restartPlan({ ...app, release: '20250314T091500Z' }))).toEqual([
      'rolling-restart 8013,8014 releases/20250314T091500Z (back to null)',
    ]);
  });

  it('start: each worker started, then checked on /healthz; stop: each stopped', () => {
    expect(planLines(startPlan(app))).toEqual([
      'service start films@8013.service',
      'service start films@8014.service',
      'check healthz {"kind":"healthz","port":8013,"timeoutMs":30000}',
      'check healthz {"kind":"healthz","port":8014,"timeoutMs":30000}',
    ]);
    expect(planLines(stopPlan(app))).toEqual(['service stop films@8013.service', 'service stop films@8014.service']);
  });

  it('env: site.env written 0600, then a rolling restart only when it changed', () => {
    expect(
      planLines(siteEnvPlan({ ...app, release: '20250314T091500Z', content: 'GEMINI_MODEL=pro\n', title: 'Set' })),
    ).toEqual([
      'write /var/www/films/site.env 0600 root:root',
      'rolling-restart 8013,8014 releases/20250314T091500Z (back to null) [when site-env]',
    ]);
  });
});
