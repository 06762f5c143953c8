// Real-tool checks of everything cinectl renders: `nginx -t` on the nginx files, `systemd-analyze verify` and
// `systemd-analyze security --offline` on the units. The tools come from Debian (`scripts/setup.sh --test`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { type NginxApp, nginxFiles } from '../src/plan/nginx.ts';
import { cpuDropIn, serviceUnit, type UnitVars } from '../src/plan/systemd.ts';
import { nginxTestFiles, which } from './support/tools.ts';

/** The security threshold of the issue (exposure ≤ 2.0); `--threshold` counts tenths. */
const MAX_EXPOSURE = 2.0;

const nginx = which('nginx');
const systemdAnalyze = which('systemd-analyze');

const scratch = mkdtempSync(join(tmpdir(), 'cinectl-tools-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let cases = 0;
function caseDir(name: string): string {
  const dir = join(scratch, `${++cases}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Renders the apps into a fresh nginx directory and runs `nginx -t` on it. */
async function nginxTest(name: string, apps: NginxApp[], tamper?: (files: Map<string, string>) => void) {
  const dir = caseDir(name);
  const files = nginxFiles(apps, { cacheDir: join(dir, 'cache') });
  tamper?.(files);
  return nginxTestFiles(nginx ?? 'nginx', dir, files);
}

const block = (first: number) => Array.from({ length: 12 }, (_, i) => first + i);
const myapp: NginxApp = { name: 'myapp', ports: block(8001) };
const second: NginxApp = { name: 'second', ports: block(8013) };

describe.skipIf(!nginx)(
  nginx ? 'nginx -t' : 'nginx -t: SKIPPED, nginx is not installed (scripts/setup.sh --test)',
  () => {
    const passes = (output: string) => {
      expect(output).toContain('test is successful');
      expect(output).not.toMatch(/\[(warn|emerg|crit|alert)\]/);
    };

    it('one app', async () => {
      const { exitCode, output } = await nginxTest('one-app', [myapp]);
      passes(output);
      expect(exitCode).toBe(0);
    });

    it('two apps', async () => {
      const { exitCode, output } = await nginxTest('two-apps', [second, myapp]);
      passes(output);
      expect(exitCode).toBe(0);
    });

    it('an app with a domain, next to one without', async () => {
      const { exitCode, output } = await nginxTest('domain', [{ ...myapp, domain: 'films.example.com' }, second]);
      passes(output);
      expect(exitCode).toBe(0);
    });

    it('zero apps: the include line over an empty directory', async () => {
      const { exitCode, output } = await nginxTest('zero-apps', []);
      passes(output);
      expect(exitCode).toBe(0);
    });

    it('fails on a broken file (the check is real)', async () => {
      const { exitCode, output } = await nginxTest('broken', [myapp], (files) => {
        files.set('cinectl/app-myapp.conf', (files.get('cinectl/app-myapp.conf') ?? '').replace('ip_hash;', 'ip_hash'));
      });
      expect(exitCode).not.toBe(0);
      expect(output).toMatch(/\[emerg\]/);
    });
  },
);

const unitVars: UnitVars = {
  app: 'myapp',
  user: 'myapp',
  appDir: '/var/www/myapp',
  dataDir: '/var/lib/myapp',
  // verify checks that ExecStart's program exists; the template unit names the target host's node.
  nodePath: '/usr/bin/node',
};

/** Writes the template unit and instance drop-ins the way cinectl lays them out in /etc/systemd/system. */
function unitDir(name: string, unit: string, dropIns: Record<number, string> = {}): string {
  const dir = caseDir(name);
  writeFileSync(join(dir, 'myapp@.service'), unit);
  for (const [port, content] of Object.entries(dropIns)) {
    mkdirSync(join(dir, `myapp@${port}.service.d`));
    writeFileSync(join(dir, `myapp@${port}.service.d/cpu.conf`), content);
  }
  return dir;
}

async function verify(dir: string, units: string[]) {
  const result = await execa(systemdAnalyze ?? 'systemd-analyze', ['verify', '--man=no', '--generators=no', ...units], {
    cwd: dir,
    env: { SYSTEMD_UNIT_PATH: `${dir}:` },
    reject: false,
    all: true,
  });
  // Complaints about our units name them or their directory; other units' noise is not ours to judge.
  const ours = (result.all ?? '').split('\n').filter((line) => line.includes(dir) || line.includes('myapp@'));
  return { exitCode: result.exitCode, ours };
}

async function security(path: string) {
  const result = await execa(
    systemdAnalyze ?? 'systemd-analyze',
    ['security', '--offline=yes', `--threshold=${Math.round(MAX_EXPOSURE * 10)}`, '--no-pager', path],
    { reject: false, all: true, env: { SYSTEMD_COLORS: '0' } },
  );
  const exposure = Number(/Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(result.all ?? '')?.[1] ?? Number.NaN);
  return { exitCode: result.exitCode, exposure, output: result.all ?? '' };
}

describe.skipIf(!systemdAnalyze)(
  systemdAnalyze ? 'systemd-analyze' : 'systemd-analyze: SKIPPED, systemd is not installed',
  () => {
    it('verify: the template unit, an instance and its cpu drop-in', async () => {
      const dir = unitDir('unit', serviceUnit(unitVars), { 8001: cpuDropIn([0]), 8002: cpuDropIn([0, 1]) });
      const { exitCode, ours } = await verify(dir, ['myapp@.service', 'myapp@8001.service', 'myapp@8002.service']);
      expect(ours).toEqual([]);
      expect(exitCode).toBe(0);
    });

    it('verify: the unit that starts after MongoDB', async () => {
      const dir = unitDir('unit-mongo', serviceUnit({ ...unitVars, after: ['mongodb.service'] }));
      const { exitCode, ours } = await verify(dir, ['myapp@.service']);
      expect(ours).toEqual([]);
      expect(exitCode).toBe(0);
    });

    it('verify fails on a unit whose program does not exist, and warns on a bad drop-in (the check is real)', async () => {
      const missing = unitDir('unit-missing', serviceUnit({ ...unitVars, nodePath: '/nonexistent/node' }));
      expect((await verify(missing, ['myapp@.service'])).exitCode).not.toBe(0);
      const bad = unitDir('unit-bad-drop-in', serviceUnit(unitVars), { 8001: '[Service]\nCPUAffinity=x\n' });
      expect((await verify(bad, ['myapp@8001.service'])).ours.join('\n')).toMatch(/Failed to parse CPU affinity/);
    });

    it(`security --offline: exposure ≤ ${MAX_EXPOSURE} for the template and for an instance with its drop-in`, async () => {
      const dir = unitDir('security', serviceUnit(unitVars), { 8001: cpuDropIn([1]) });
      const template = await security(join(dir, 'myapp@.service'));
      expect(template.exposure).toBeLessThanOrEqual(MAX_EXPOSURE);
      expect(template.exitCode, template.output).toBe(0);
      writeFileSync(join(dir, 'myapp@8001.service'), serviceUnit(unitVars));
      const instance = await security(join(dir, 'myapp@8001.service'));
      expect(instance.exposure).toBeLessThanOrEqual(MAX_EXPOSURE);
      expect(instance.exitCode, instance.output).toBe(0);
    });

    it('security --threshold fails an unhardened unit (the check is real)', async () => {
      const dir = caseDir('unhardened');
      writeFileSync(join(dir, 'plain.service'), '[Service]\nExecStart=/usr/bin/node /srv/server.js\n');
      const plain = await security(join(dir, 'plain.service'));
      expect(plain.exposure).toBeGreaterThan(MAX_EXPOSURE);
      expect(plain.exitCode).not.toBe(0);
    });
  },
);
