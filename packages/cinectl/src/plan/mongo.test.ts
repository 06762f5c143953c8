import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planLines, stepAt } from '../../test/support/plan-text.ts';
import { fileDiff } from '../host/diff.ts';
import { displayArgv, revealArgv } from '../host/root.ts';
import type { MongoSettings } from '../state/mongo-config.ts';
import {
  type MongoServerFacts,
  mongoAppUri,
  mongoAppUserStep,
  mongoBackupDir,
  mongoBackupSteps,
  mongoServerSteps,
  mongoshScript,
} from './mongo.ts';
import { DEFAULT_NGINX_HOST } from './nginx.ts';
import { removePlan } from './remove.ts';
import { Sensitive } from './sensitive.ts';
import type { Plan, Probe, Step } from './types.ts';

const ADMIN_PASSWORD = 'A'.repeat(64);
const NEW_PASSWORD = 'N'.repeat(64);
const APP_PASSWORD = 'P'.repeat(64);
const PACKAGED = 'storage:\n  dbPath: /var/lib/mongodb\n  journal:\n    enabled: true\nnet:\n  port: 27017\n';

const settings: MongoSettings = {
  host: '127.0.0.1',
  port: 27017,
  admin: { user: 'cinectl-admin', password: new Sensitive(ADMIN_PASSWORD) },
};

function facts(overrides: Partial<MongoServerFacts> = {}): MongoServerFacts {
  return { configText: null, settings: null, newAdminPassword: new Sensitive(NEW_PASSWORD), ...overrides };
}

const plan = (steps: Step[]): Plan => ({ title: 'test', steps });
const script = (name: string) => mongoshScript(name);

/** Every command line a step or its probe would run, with secrets revealed: what `ps` would show. */
function revealedCommands(steps: Step[]): string[] {
  const probes = steps.flatMap((step): Probe[] =>
    step.kind === 'run' && step.unless ? [step.unless] : step.kind === 'check' ? [step.probe] : [],
  );
  return [
    ...steps.flatMap((step) => (step.kind === 'run' ? [revealArgv(step.argv, '/').join(' ')] : [])),
    ...probes.flatMap((probe) => (probe.kind === 'command-succeeds' ? [revealArgv(probe.argv, '/').join(' ')] : [])),
  ];
}

describe('mongoServerSteps', () => {
  it('on a fresh host: config, service enabled, (re)started and waited for, mongo.json, then the admin user', () => {
    const steps = mongoServerSteps(facts());
    expect(planLines(plan(steps))).toEqual([
      'write /etc/mongodb.conf 0644 root:root',
      'service enable mongodb.service',
      'service restart mongodb.service',
      'service start mongodb.service',
      'check tcp-listening {"kind":"tcp-listening","port":27017,"timeoutMs":60000}',
      'mkdir /etc/cinectl 0755 root:root',
      'write /etc/cinectl/mongo.json 0600 root:root',
      `run mongosh --quiet --norc mongodb://127.0.0.1:27017/admin --file ${script('create-admin.js')} [live]`,
    ]);
  });

  it('restarts mongod whenever it runs with an older configuration, not only in the run that wrote it', () => {
    const restart = stepAt(plan(mongoServerSteps(facts({ settings }))), 'service', /^Restart/);
    expect(restart.when).toBeUndefined();
    expect(restart.unless).toEqual({ kind: 'unit-started-after', unit: 'mongodb.service', path: '/etc/mongodb.conf' });
  });

  it('writes a configuration that parses, binds to 127.0.0.1 and has authorization on, even before the package', () => {
    const config = parse(stepAt(plan(mongoServerSteps(facts())), 'write', /mongodb\.conf/).content);
    expect(config.security).toEqual({ authorization: 'enabled' });
    expect(config.net.bindIp).toBe('127.0.0.1');
    expect(config.storage.dbPath).toBe('/var/lib/mongodb');
  });

  it("fixes the package's configuration and keeps its settings", () => {
    const config = stepAt(plan(mongoServerSteps(facts({ configText: PACKAGED }))), 'write', /mongodb\.conf/).content;
    expect(parse(config)).toEqual({
      storage: { dbPath: '/var/lib/mongodb' },
      net: { port: 27017, bindIp: '127.0.0.1' },
      security: { authorization: 'enabled' },
    });
  });

  it('records a new admin password in mongo.json (0600, a secret) and hands it to mongosh by environment only', () => {
    const steps = mongoServerSteps(facts());
    const json = stepAt(plan(steps), 'write', /mongo\.json/);
    expect(JSON.parse(json.content)).toEqual({
      host: '127.0.0.1',
      port: 27017,
      admin: { user: 'cinectl-admin', password: NEW_PASSWORD },
    });
    expect(json.mode).toBe(0o600);
    expect(json.secrets?.map((secret) => secret.reveal())).toEqual([NEW_PASSWORD]);
    const create = stepAt(plan(steps), 'run', /admin user/);
    const password = create.env?.CINECTL_ADMIN_PASSWORD;
    expect(password).toBeInstanceOf(Sensitive);
    expect(password instanceof Sensitive && password.reveal()).toBe(NEW_PASSWORD);
    expect(create.unless).toMatchObject({ kind: 'command-succeeds' });
    expect(revealedCommands(steps).join('\n')).not.toContain(NEW_PASSWORD);
  });

  it('keeps the password of an existing mongo.json and follows the port of the configuration', () => {
    const steps = mongoServerSteps(facts({ settings, configText: 'net:\n  port: 27018\n' }));
    const json = JSON.parse(stepAt(plan(steps), 'write', /mongo\.json/).content);
    expect(json).toEqual({
      host: '127.0.0.1',
      port: 27018,
      admin: { user: 'cinectl-admin', password: ADMIN_PASSWORD },
    });
    expect(stepAt(plan(steps), 'check', /Wait/).probe).toEqual({
      kind: 'tcp-listening',
      port: 27018,
      timeoutMs: 60_000,
    });
  });

  it('names journalctl when MongoDB never comes up', () => {
    expect(stepAt(plan(mongoServerSteps(facts())), 'check', /Wait/).hint).toMatch(/journalctl -u mongodb\.service/);
  });
});

describe('the app user (deploy-app)', () => {
  const step = mongoAppUserStep(settings, 'myapp', new Sensitive(APP_PASSWORD));

  it('is created or reset by the admin, and already done when the app user logs in with its password', () => {
    expect(displayArgv(step.argv, '/')).toEqual([
      'mongosh',
      '--quiet',
      '--norc',
      'mongodb://127.0.0.1:27017/admin',
      '--file',
      script('ensure-app-user.js'),
    ]);
    expect(Object.keys(step.env ?? {})).toEqual([
      'CINECTL_ADMIN_USER',
      'CINECTL_ADMIN_PASSWORD',
      'CINECTL_APP',
      'CINECTL_APP_PASSWORD',
    ]);
    expect(step.unless?.kind === 'command-succeeds' && Object.keys(step.unless.env ?? {})).toEqual([
      'CINECTL_APP',
      'CINECTL_APP_PASSWORD',
    ]);
    expect(step.live).toBe(true);
    expect(revealedCommands([step]).join('\n')).not.toMatch(/AAAA|PPPP/);
  });

  it("gets a URI for its own user, authenticated against and limited to the app's database", () => {
    expect(mongoAppUri(settings, 'myapp', new Sensitive(APP_PASSWORD)).reveal()).toBe(
      `mongodb://myapp:${APP_PASSWORD}@127.0.0.1:27017/myapp?authSource=myapp`,
    );
    expect(String(mongoAppUri(settings, 'myapp', new Sensitive(APP_PASSWORD)))).toBe('[REDACTED]');
  });
});

describe('mongoBackupSteps (uninit-server)', () => {
  const dir = mongoBackupDir('20250314T091500Z');
  const steps = mongoBackupSteps(facts({ settings }), ['cinestream', 'other'], dir);

  it('dumps every app database under a .partial name, kept once complete, with a password file removed afterwards', () => {
    const dump = (app: string) =>
      `run mongodump --config /etc/cinectl/mongodump.yaml --host=127.0.0.1 --port=27017 --username=cinectl-admin ` +
      `--authenticationDatabase=admin --db=${app} --archive=${app}.archive.gz.partial --gzip (in ${dir}) [live]`;
    expect(planLines(plan(steps))).toEqual([
      'write /etc/cinectl/mongodump.yaml 0600 root:root',
      dump('cinestream'),
      `move ${dir}/cinestream.archive.gz.partial -> ${dir}/cinestream.archive.gz`,
      dump('other'),
      `move ${dir}/other.archive.gz.partial -> ${dir}/other.archive.gz`,
      'remove /etc/cinectl/mongodump.yaml',
    ]);
  });

  it('keeps the password out of argv: mongodump reads it from the 0600 file', () => {
    const file = stepAt(plan(steps), 'write', /password file/);
    expect(parse(file.content)).toEqual({ password: ADMIN_PASSWORD });
    expect(file.secrets?.map((secret) => secret.reveal())).toEqual([ADMIN_PASSWORD]);
    expect(revealedCommands(steps).join('\n')).not.toContain(ADMIN_PASSWORD);
  });

  it('has nothing to do without cinectl’s MongoDB or without apps', () => {
    expect(mongoBackupSteps(facts(), ['cinestream'], dir)).toEqual([]);
    expect(mongoBackupSteps(facts({ settings }), [], dir)).toEqual([]);
  });
});

describe('a dry run never shows the admin password, whatever characters it has', () => {
  const tricky = new Sensitive('pa"ss\\word-with-quote"and\\backslash');
  const withTricky: MongoSettings = { ...settings, admin: { ...settings.admin, password: tricky } };

  it.each([
    ['mongo.json', () => stepAt(plan(mongoServerSteps(facts({ settings: withTricky }))), 'write', /mongo\.json/)],
    [
      'mongodump.yaml',
      () => stepAt(plan(mongoBackupSteps(facts({ settings: withTricky }), ['a'], '/b')), 'write', /mongodump/),
    ],
  ])('in the diff of %s', (_name, write) => {
    const step = write();
    const escaped = JSON.stringify(tricky.reveal()).slice(1, -1);
    expect(step.content).toContain(escaped);
    const diff = fileDiff(step.path, null, step.content, step.secrets).join('\n');
    expect(diff).toContain('[REDACTED]');
    expect(diff).not.toContain(escaped);
    expect(diff).not.toContain('with-quote');
  });
});

describe('remove-app --purge on a host with MongoDB', () => {
  const base = {
    app: 'myapp',
    ports: [8001],
    otherApps: [],
    nginxConf: null,
    nginx: DEFAULT_NGINX_HOST,
    mongoSettings: settings,
  };

  it("drops the app's user and database once its workers are stopped, while it is still registered", () => {
    expect(planLines(removePlan({ ...base, purge: true })).slice(0, 3)).toEqual([
      'service stop myapp@8001.service',
      'service disable myapp@8001.service',
      `run mongosh --quiet --norc mongodb://127.0.0.1:27017/admin --file ${script('drop-app.js')} [live]`,
    ]);
  });

  it('keeps them without --purge', () => {
    expect(planLines(removePlan({ ...base, purge: false })).join('\n')).not.toContain('mongosh');
  });
});
