import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planLines, stepAt, stepLine } from '../../test/support/plan-text.ts';
import { parseDeployConfig } from '../state/deploy-config.ts';
import { type DeployInput, deployPlan } from './deploy.ts';
import { DEFAULT_NGINX_HOST } from './nginx.ts';
import { Sensitive } from './sensitive.ts';

const SECRET = 'f'.repeat(64);
const NGINX_CONF = 'events {}\nhttp {\n    include mime.types;\n}\n';

const COPY = '/tmp/cinectl-build-0123456789abcdef-myapp-20250314T091500Z';

function input(overrides: Partial<DeployInput> = {}): DeployInput {
  return {
    app: 'myapp',
    source: '/src/cinestream',
    ports: [8001, 8002, 8003],
    previousPorts: [],
    created: '2025-03-14T09:15:00.000Z',
    domain: null,
    currentRelease: null,
    releases: [],
    newRelease: '20250314T091500Z',
    sourceFingerprint: 'sha256:abc',
    buildCopy: COPY,
    secretKey: new Sensitive(SECRET),
    cpuCount: 2,
    otherApps: [],
    nginxConf: NGINX_CONF,
    nginx: DEFAULT_NGINX_HOST,
    ...overrides,
  };
}

const STAGING = '/var/www/myapp/.staging-20250314T091500Z';
const COPY_INPUTS = resolve(import.meta.dirname, '../../scripts/copy-inputs.js');
const RELEASE = '/var/www/myapp/releases/20250314T091500Z';

describe('deployPlan, first deploy', () => {
  const plan = deployPlan(input());

  it('creates the account and directories, builds a release, installs units, starts and checks workers, nginx', () => {
    expect(planLines(plan)).toEqual([
      'user myapp present',
      'mkdir /var/www/myapp 0750 root:myapp',
      'mkdir /var/www/myapp/releases 0755 root:root',
      'mkdir /var/lib/myapp 0700 myapp:myapp',
      'write /var/www/myapp/.deploy_config 0644 root:root',
      `remove ${STAGING} -r`,
      `run node ${COPY_INPUTS} /src/cinestream ${COPY} --skip=node_modules,dist,data,test,test-results,bench,bench-results package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json docs/openapi.yaml packages/web packages/redact`,
      `run pnpm --filter @cinestream/web... install --frozen-lockfile --prefer-offline (in ${COPY})`,
      `run pnpm --filter @cinestream/web build (in ${COPY})`,
      `run pnpm --filter @cinestream/web deploy --prod --legacy ${STAGING} (in ${COPY})`,
      `remove ${COPY} -r [this machine]`,
      `mkdir ${RELEASE}/src 0755 root:root`,
      `move ${STAGING}/package.json -> ${RELEASE}/package.json`,
      `move ${STAGING}/dist -> ${RELEASE}/dist`,
      `move ${STAGING}/node_modules -> ${RELEASE}/node_modules`,
      `move ${STAGING}/src/views -> ${RELEASE}/src/views`,
      `move ${STAGING}/src/public -> ${RELEASE}/src/public`,
      `remove ${STAGING} -r`,
      `write ${RELEASE}/.source-fingerprint 0644 root:root`,
      'write /var/www/myapp/.release_history.json 0644 root:root',
      'write /var/www/myapp/.env 0600 myapp:myapp',
      'write /etc/systemd/system/myapp@.service 0644 root:root',
      'write /etc/systemd/system/myapp@8001.service.d/cpu.conf 0644 root:root',
      'write /etc/systemd/system/myapp@8002.service.d/cpu.conf 0644 root:root',
      'write /etc/systemd/system/myapp@8003.service.d/cpu.conf 0644 root:root',
      'write /etc/systemd/system/cinectl-backup@.service 0644 root:root',
      'write /etc/systemd/system/cinectl-backup@.timer 0644 root:root',
      'run systemctl daemon-reload [live] [when unit|cpu-8001|cpu-8002|cpu-8003|backup-units]',
      'service enable cinectl-backup@myapp.timer',
      'service start cinectl-backup@myapp.timer',
      'service enable myapp@8001.service',
      'service enable myapp@8002.service',
      'service enable myapp@8003.service',
      'symlink /var/www/myapp/current -> releases/20250314T091500Z',
      'service start myapp@8001.service',
      'service start myapp@8002.service',
      'service start myapp@8003.service',
      'check healthz {"kind":"healthz","port":8001,"timeoutMs":30000}',
      'check healthz {"kind":"healthz","port":8002,"timeoutMs":30000}',
      'check healthz {"kind":"healthz","port":8003,"timeoutMs":30000}',
      'mkdir /var/cache/nginx 0755 root:root',
      'nginx /etc/nginx/nginx.conf + cinectl/http.conf cinectl/proxy.inc cinectl/localhost.conf cinectl/app-myapp.conf',
      'write /var/www/myapp/.deploy_config 0644 root:root',
      'write /var/www/myapp/.release_history.json 0644 root:root',
    ]);
  });

  it('places the staging directory under --root in the pnpm deploy argv', () => {
    const deploy = stepAt(plan, 'run', 'Copy the built web package and its production dependencies');
    expect(planLines({ title: '', steps: [deploy] }, '/tmp/root')).toEqual([
      `run pnpm --filter @cinestream/web deploy --prod --legacy /tmp/root${STAGING} (in ${COPY})`,
    ]);
  });

  it('reserves the ports first and records the release last', () => {
    const configs = plan.steps.filter((step) => step.kind === 'write' && step.path.endsWith('.deploy_config'));
    const [early, late] = configs.map((step) =>
      step.kind === 'write' ? parseDeployConfig(step.content).config : null,
    );
    expect(early).toEqual({
      name: 'myapp',
      ports: [8001, 8002, 8003],
      domain: null,
      created: '2025-03-14T09:15:00.000Z',
      release: null,
    });
    expect(late?.release).toBe('20250314T091500Z');
  });

  it('writes the .env with the secret, the base path and the data dir, and marks the secret', () => {
    const env = stepAt(plan, 'write', 'Write /var/www/myapp/.env');
    expect(env.content).toContain(`SECRET_KEY=${SECRET}\n`);
    expect(env.content).toContain('BASE_PATH=/myapp\n');
    expect(env.content).toContain('DATA_DIR=/var/lib/myapp\n');
    expect(env.content).toContain('# PORTS=8001-8003');
    expect(env.content).not.toMatch(/^PORT=/m);
    expect(env.content).not.toContain('MONGO_URI');
    expect(env.secrets?.map((secret) => secret.reveal())).toEqual([SECRET]);
  });

  it('runs the release through the unit as the app user', () => {
    const unit = stepAt(plan, 'write', 'Write the systemd unit myapp@.service').content;
    expect(unit).toContain('User=myapp\n');
    expect(unit).toContain('EnvironmentFile=/var/www/myapp/.env\n');
    expect(unit).toContain('ExecStart=/usr/bin/node /var/www/myapp/current/dist/server.js\n');
    expect(unit).toContain('ReadWritePaths=/var/lib/myapp\n');
    expect(unit).not.toContain('mongodb.service');
  });

  it('spreads the workers round-robin over the cores', () => {
    const pins = plan.steps.filter((step) => step.kind === 'write' && step.path.endsWith('cpu.conf'));
    expect(pins.map((step) => step.title)).toEqual([
      'Pin myapp@8001.service to CPU 0',
      'Pin myapp@8002.service to CPU 1',
      'Pin myapp@8003.service to CPU 0',
    ]);
    expect(pins.map((step) => (step.kind === 'write' ? /CPUAffinity=(.*)/.exec(step.content)?.[1] : ''))).toEqual([
      '0',
      '1',
      '0',
    ]);
    const four = deployPlan(input({ cpuCount: 4, ports: [8013, 8014, 8015, 8016, 8017] }));
    expect(four.steps.filter((step) => step.title.startsWith('Pin')).map((step) => step.title.at(-1))).toEqual([
      '0',
      '1',
      '2',
      '3',
      '0',
    ]);
  });

  it("adds cinectl's include line to nginx.conf and serves the app at /myapp/", () => {
    const nginx = stepAt(plan, 'nginx', /^Update nginx/);
    expect(nginx.conf).toBe('events {}\nhttp {\n    include cinectl/*.conf;\n    include mime.types;\n}\n');
    expect(nginx.includeDir).toBe('cinectl');
    expect(nginx.files.get('cinectl/app-myapp.conf')).toContain('server 127.0.0.1:8003');
    expect(nginx.files.get('cinectl/http.conf')).toContain('/var/cache/nginx/cinectl');
  });

  it('keeps the other apps in nginx', () => {
    const nginx = stepAt(deployPlan(input({ otherApps: [{ name: 'other', ports: [8013] }] })), 'nginx', /nginx/);
    expect([...nginx.files.keys()]).toContain('cinectl/app-other.conf');
  });
});

describe("deployPlan with cinectl's MongoDB on the host", () => {
  const password = new Sensitive('9'.repeat(64));
  const settings = {
    host: '127.0.0.1',
    port: 27017,
    admin: { user: 'cinectl-admin', password: new Sensitive('a'.repeat(64)) },
  };
  const plan = deployPlan(input({ mongoUser: { settings, password } }));

  it("creates the app's own user before the .env is written and the workers start", () => {
    const lines = planLines(plan);
    const user = lines.findIndex((line) => line.includes('ensure-app-user.js'));
    expect(user).toBeGreaterThan(0);
    expect(lines[user]).toMatch(/^run mongosh .* \[live\]$/);
    expect(lines[user + 1]).toBe('write /var/www/myapp/.env 0600 myapp:myapp');
  });

  it("writes MONGO_URI for the app's user on its own database, as a secret", () => {
    const env = stepAt(plan, 'write', 'Write /var/www/myapp/.env');
    expect(env.content).toContain(
      `MONGO_URI=mongodb://myapp:${password.reveal()}@127.0.0.1:27017/myapp?authSource=myapp\n`,
    );
    expect(env.secrets?.map(String)).toEqual(['[REDACTED]', '[REDACTED]', '[REDACTED]']);
    expect(env.secrets?.some((secret) => secret.reveal().includes(password.reveal()))).toBe(true);
    expect(stepAt(plan, 'write', /systemd unit/).content).toMatch(/^After=.*mongodb\.service/m);
  });
});

describe('deployPlan, redeploy', () => {
  it('of a changed source: builds a new release and restarts the workers one at a time, able to go back', () => {
    const plan = deployPlan(
      input({
        currentRelease: '20250301T080000Z',
        releases: ['20250301T080000Z'],
        previousPorts: [8001, 8002, 8003],
      }),
    );
    const lines = planLines(plan);
    expect(lines).toContain(`run pnpm --filter @cinestream/web build (in ${COPY})`);
    expect(lines.slice(lines.indexOf('symlink /var/www/myapp/current -> releases/20250314T091500Z'))).toEqual([
      'symlink /var/www/myapp/current -> releases/20250314T091500Z',
      'rolling-restart 8001,8002,8003 releases/20250314T091500Z (back to releases/20250301T080000Z) [when current|env|unit|cpu-8001|cpu-8002|cpu-8003]',
      'service start myapp@8001.service',
      'service start myapp@8002.service',
      'service start myapp@8003.service',
      'check healthz {"kind":"healthz","port":8001,"timeoutMs":30000}',
      'check healthz {"kind":"healthz","port":8002,"timeoutMs":30000}',
      'check healthz {"kind":"healthz","port":8003,"timeoutMs":30000}',
      'mkdir /var/cache/nginx 0755 root:root',
      'nginx /etc/nginx/nginx.conf + cinectl/http.conf cinectl/proxy.inc cinectl/localhost.conf cinectl/app-myapp.conf',
      'write /var/www/myapp/.deploy_config 0644 root:root',
      'write /var/www/myapp/.release_history.json 0644 root:root',
    ]);
  });

  it('of an unchanged source: no build, current stays, a restart only when the env or units change', () => {
    const plan = deployPlan(
      input({
        currentRelease: '20250301T080000Z',
        releases: ['20250301T080000Z'],
        newRelease: null,
        previousPorts: [8001, 8002, 8003],
      }),
    );
    const lines = planLines(plan);
    expect(lines.some((line) => line.startsWith('run pnpm'))).toBe(false);
    expect(lines).toContain('symlink /var/www/myapp/current -> releases/20250301T080000Z');
    expect(lines).toContain(
      'rolling-restart 8001,8002,8003 releases/20250301T080000Z (back to null) [when current|env|unit|cpu-8001|cpu-8002|cpu-8003]',
    );
  });

  it('with fewer workers: stops, disables and removes the instances no longer wanted, after nginx moved off them', () => {
    const plan = deployPlan(
      input({ currentRelease: '20250301T080000Z', newRelease: null, ports: [8001], previousPorts: [8001, 8002, 8003] }),
    );
    const lines = planLines(plan);
    expect(lines.slice(lines.findIndex((line) => line.startsWith('nginx ')))).toEqual([
      'nginx /etc/nginx/nginx.conf + cinectl/http.conf cinectl/proxy.inc cinectl/localhost.conf cinectl/app-myapp.conf',
      'service stop myapp@8002.service',
      'service disable myapp@8002.service',
      'remove /etc/systemd/system/myapp@8002.service.d -r',
      'service stop myapp@8003.service',
      'service disable myapp@8003.service',
      'remove /etc/systemd/system/myapp@8003.service.d -r',
      'run systemctl daemon-reload [live] [when retire-8002|retire-8003]',
      'write /var/www/myapp/.deploy_config 0644 root:root',
    ]);
  });

  it('keeps the last five releases (and the one it replaces)', () => {
    const releases = [
      '20250101T000000Z',
      '20250102T000000Z',
      '20250103T000000Z',
      '20250104T000000Z',
      '20250105T000000Z',
      '20250106T000000Z',
    ];
    const plan = deployPlan(input({ currentRelease: '20250106T000000Z', releases }));
    expect(planLines(plan).filter((line) => line.includes('/releases/2025010'))).toEqual([
      'remove /var/www/myapp/releases/20250101T000000Z -r',
      'remove /var/www/myapp/releases/20250102T000000Z -r',
    ]);
    const afterRollback = deployPlan(input({ currentRelease: '20250101T000000Z', releases }));
    expect(planLines(afterRollback).filter((line) => line.startsWith('remove /var/www/myapp/releases/'))).toEqual([
      'remove /var/www/myapp/releases/20250102T000000Z -r',
    ]);
  });
});

describe('deployPlan after an interrupted deploy', () => {
  it('removes every staging directory left in the app directory before it builds', () => {
    const lines = planLines(
      deployPlan(input({ leftoverStaging: ['.staging-20250101T000000Z', '.staging-20250314T091500Z', '.staging-x'] })),
    );
    const build = lines.indexOf(`run pnpm --filter @cinestream/web build (in ${COPY})`);
    const removed = lines.slice(0, build).filter((line) => line.startsWith('remove '));
    expect(removed).toEqual([
      'remove /var/www/myapp/.staging-20250101T000000Z -r',
      'remove /var/www/myapp/.staging-x -r',
      `remove ${STAGING} -r`,
    ]);
  });
});

describe('deployPlan builds in a copy of the checkout', () => {
  it('removes the copy after the build, and after a failure or Ctrl-C through the cleanup', () => {
    const plan = deployPlan(input());
    expect(plan.cleanup?.map((step) => stepLine(step))).toEqual([`remove ${COPY} -r [this machine]`]);
    const removal = planLines(plan).indexOf(`remove ${COPY} -r [this machine]`);
    expect(planLines(plan)[removal - 1]).toMatch(/^run pnpm --filter @cinestream\/web deploy /);
  });

  it('removes the copies interrupted deploys left before it builds', () => {
    const left = '/tmp/cinectl-build-0123456789abcdef-myapp-20250101T000000Z';
    const lines = planLines(deployPlan(input({ leftoverBuildCopies: [left] })));
    expect(lines.indexOf(`remove ${left} -r [this machine]`)).toBeLessThan(lines.findIndex((l) => l.includes(COPY)));
  });

  it('with no new release: no copy, no cleanup, but leftovers are still removed', () => {
    const left = '/tmp/cinectl-build-0123456789abcdef-myapp-20250101T000000Z';
    const plan = deployPlan(
      input({
        newRelease: null,
        currentRelease: '20250101T000000Z',
        buildCopy: undefined,
        leftoverBuildCopies: [left],
      }),
    );
    expect(plan.cleanup).toBeUndefined();
    expect(planLines(plan).filter((line) => line.includes('/tmp/'))).toEqual([`remove ${left} -r [this machine]`]);
  });
});

describe('deployPlan records the release', () => {
  it('with its commit when built, and when it went live once the workers are healthy', () => {
    const plan = deployPlan(input({ commit: 'abc123', now: '2025-03-14T09:16:00.000Z' }));
    const [built, live] = plan.steps.filter(
      (step) => step.kind === 'write' && step.path.endsWith('.release_history.json'),
    );
    const history = (step: typeof built) => (step?.kind === 'write' ? JSON.parse(step.content) : null);
    expect(history(built)).toEqual({
      releases: { '20250314T091500Z': { commit: 'abc123', built: '2025-03-14T09:16:00.000Z' } },
      live: [],
    });
    expect(history(live).live).toEqual([{ release: '20250314T091500Z', at: '2025-03-14T09:16:00.000Z' }]);
    const titles = plan.steps.map((step) => step.title);
    expect(titles.indexOf('Record when release 20250314T091500Z went live')).toBeGreaterThan(
      titles.findLastIndex((title) => title.startsWith('Check that')),
    );
  });
});

describe('deployPlan, the daily backup', () => {
  it('runs cinectl backup APP --keep 7 from the launcher on the PATH, daily', () => {
    const plan = deployPlan(input());
    expect(stepAt(plan, 'write', /daily backup units/).content).toContain(
      'ExecStart=/usr/local/bin/cinectl backup %i --keep 7\n',
    );
    expect(stepAt(plan, 'write', 'Write cinectl-backup@.timer').content).toContain('OnCalendar=*-*-* 03:30:00\n');
  });
});
