import { describe, expect, it } from 'vitest';
import { planLines } from '../../test/support/plan-text.ts';
import type { MongoServerFacts } from './mongo.ts';
import { DEFAULT_NGINX_HOST } from './nginx.ts';
import { Sensitive } from './sensitive.ts';
import type { Step } from './types.ts';
import { type UninitInput, uninitPlan, writesBackup } from './uninit-server.ts';

const withMongo: MongoServerFacts = {
  configText: 'net:\n  bindIp: 127.0.0.1\n',
  settings: { host: '127.0.0.1', port: 27017, admin: { user: 'cinectl-admin', password: new Sensitive('s3cret') } },
  newAdminPassword: new Sensitive('unused'),
};
const BACKUP = '/var/backups/cinestream/20250314T091500Z';

function input(overrides: Partial<UninitInput> = {}): UninitInput {
  return {
    root: '/',
    apps: [
      { name: 'cinestream', ports: [8001, 8002] },
      { name: 'other', ports: [8013] },
    ],
    nginxConf: 'events {}\nhttp {\n    include cinectl/*.conf;\n}\n',
    nginx: DEFAULT_NGINX_HOST,
    removePackages: false,
    purgeData: false,
    mongo: withMongo,
    backupDir: BACKUP,
    siteEnvs: new Map(),
    installed: ['mongodb-bin', 'mongosh-bin', 'mongodb-tools-bin', 'nginx'],
    units: { mongodb: true, nginx: true },
    buildUserExists: true,
    ...overrides,
  };
}

const isMongodump = (step: Step) => step.kind === 'run' && step.argv[0] === 'mongodump';
const isPackageRemoval = (step: Step) => step.kind === 'run' && step.argv.includes('-Rns');
/** Every path a step removes or a command deletes from. */
const removed = (steps: Step[]) => steps.flatMap((step) => (step.kind === 'remove' ? [step.path] : []));
const DATA = ['/var/lib/cinestream', '/var/lib/other', '/var/lib/mongodb'];
const touchesData = (path: string) => DATA.some((data) => path === data || path.startsWith(`${data}/`));

describe('uninitPlan', () => {
  it('without yes: apps, their nginx files and the build account go; packages, data and databases stay', () => {
    const plan = uninitPlan(input());
    const lines = planLines(plan);
    expect(lines).toContain('service stop cinestream@8001.service');
    expect(lines).toContain('service disable other@8013.service');
    expect(lines).toContain('remove /etc/systemd/system/cinestream@.service');
    expect(lines).toContain('remove /var/www/cinestream -r');
    expect(lines).toContain('remove /var/www/other -r');
    expect(lines).toContain('nginx /etc/nginx/nginx.conf + ');
    expect(lines).toContain('user cinectl-build absent');
    expect(lines).toContain('remove /etc/sudoers.d/cinectl-build');
    expect(plan.steps.some(isMongodump)).toBe(false);
    expect(plan.steps.some(isPackageRemoval)).toBe(false);
    expect(lines.filter((line) => line.startsWith('service') && /mongodb|nginx\.service/.test(line))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('user cinestream') || line.startsWith('user other'))).toEqual([]);
    expect(removed(plan.steps).filter(touchesData)).toEqual([]);
    expect(writesBackup(plan, BACKUP)).toBe(false);
  });

  it('the nginx step leaves cinectl with no site files', () => {
    const nginx = uninitPlan(input()).steps.find((step) => step.kind === 'nginx');
    expect(nginx?.kind === 'nginx' && nginx.files.size).toBe(0);
  });

  it('with yes: a mongodump of every app database before anything is removed, then the packages', () => {
    const plan = uninitPlan(input({ removePackages: true }));
    const { steps } = plan;
    const dumps = steps.filter(isMongodump);
    expect(
      dumps.map((step) => step.kind === 'run' && step.argv.find((arg) => String(arg).startsWith('--db='))),
    ).toEqual(['--db=cinestream', '--db=other']);
    const lastDump = steps.findLastIndex(isMongodump);
    // Before the last dump nothing is stopped, deleted or uninstalled, apart from half-written archives.
    const destructive = (step: Step) =>
      step.kind === 'service' ||
      step.kind === 'user' ||
      step.kind === 'nginx' ||
      isPackageRemoval(step) ||
      (step.kind === 'remove' && !step.path.startsWith(`${BACKUP}/`));
    expect(steps.slice(0, lastDump).filter(destructive)).toEqual([]);
    expect(steps.slice(lastDump).filter(destructive).length).toBeGreaterThan(10);
    expect(steps.findIndex(isPackageRemoval)).toBe(steps.length - 1);
    expect(planLines(plan).slice(-5)).toEqual([
      'service stop mongodb.service',
      'service disable mongodb.service',
      'service stop nginx.service',
      'service disable nginx.service',
      'run pacman -Rns --noconfirm mongodb-bin mongosh-bin mongodb-tools-bin nginx',
    ]);
    expect(removed(steps).filter(touchesData)).toEqual([]);
    expect(steps.some((step) => step.kind === 'run' && String(step.argv.at(-2)).includes('drop'))).toBe(false);
    expect(writesBackup(plan, BACKUP)).toBe(true);
  });

  it('with yes, only the packages that are installed are removed', () => {
    const plan = uninitPlan(
      input({ removePackages: true, installed: ['nginx'], units: { mongodb: false, nginx: true } }),
    );
    expect(planLines(plan).at(-1)).toBe('run pacman -Rns --noconfirm nginx');
  });

  it('--purge-data: the backup first, then data directories, accounts and databases', () => {
    const { steps } = uninitPlan(input({ purgeData: true }));
    const lines = planLines({ title: '', steps });
    const lastDump = steps.findLastIndex(isMongodump);
    expect(lastDump).toBeGreaterThan(-1);
    expect(lines).toContain('remove /var/lib/cinestream -r');
    expect(lines).toContain('user other absent');
    const drops = steps.flatMap((step, at) =>
      step.kind === 'run' && /^Drop the MongoDB/.test(step.title) ? [at] : [],
    );
    expect(drops).toHaveLength(2);
    for (const at of [...drops, lines.indexOf('remove /var/lib/cinestream -r')]) expect(at).toBeGreaterThan(lastDump);
    expect(steps.some(isPackageRemoval)).toBe(false);
  });

  it('--purge-data drops each database while its app is still registered, so a failed drop is tried again', () => {
    const { steps } = uninitPlan(input({ purgeData: true }));
    for (const app of ['cinestream', 'other']) {
      const drop = steps.findIndex(
        (step) => step.kind === 'run' && step.env?.CINECTL_APP === app && /^Drop the MongoDB/.test(step.title),
      );
      const unregister = steps.findIndex(
        (step) => step.kind === 'remove' && step.path === `/var/www/${app}/.deploy_config`,
      );
      expect(drop).toBeGreaterThan(-1);
      expect(drop).toBeLessThan(unregister);
    }
  });

  it('makes the backup directory once, before the dumps and the site.env copies', () => {
    const plan = uninitPlan(
      input({ removePackages: true, siteEnvs: new Map([['cinestream', 'GEMINI_API_KEY=k3y\n']]) }),
    );
    const lines = planLines(plan);
    expect(lines.filter((line) => line.startsWith('mkdir '))).toEqual([
      'mkdir /var/backups/cinestream 0700 root:root',
      `mkdir ${BACKUP} 0700 root:root`,
    ]);
    expect(lines.indexOf(`mkdir ${BACKUP} 0700 root:root`)).toBeLessThan(plan.steps.findIndex(isMongodump));
  });

  it("keeps each app's site.env in the backup directory (0600, never shown) before its directory goes", () => {
    const plan = uninitPlan(input({ siteEnvs: new Map([['cinestream', 'GEMINI_API_KEY=k3y\n']]) }));
    const lines = planLines(plan);
    const kept = lines.indexOf(`write ${BACKUP}/cinestream.site.env 0600 root:root`);
    expect(kept).toBeGreaterThan(lines.indexOf(`mkdir ${BACKUP} 0700 root:root`));
    expect(kept).toBeLessThan(lines.indexOf('remove /var/www/cinestream -r'));
    const write = plan.steps[kept];
    expect(write?.kind === 'write' && write.secrets?.map((secret) => secret.reveal())).toEqual([
      'GEMINI_API_KEY=k3y\n',
    ]);
    expect(writesBackup(plan, BACKUP)).toBe(true);
  });

  it('no apps and no nginx: only the build account is cleaned up', () => {
    const plan = uninitPlan(input({ apps: [], nginxConf: null, buildUserExists: false }));
    expect(planLines(plan)).toEqual([
      'remove /etc/sudoers.d/cinectl-build',
      'remove /etc/sudoers.d/cinectl-build.new',
      'remove /var/cache/cinectl -r',
      'remove /var/lib/cinectl-build -r',
    ]);
  });
});

describe('uninitPlan --purge-data with SQLite data', () => {
  it('saves each data directory to the backup directory, workers stopped, before deleting it', () => {
    const { steps } = uninitPlan(
      input({
        purgeData: true,
        mongo: { ...withMongo, configText: null, settings: null },
        appsWithData: ['cinestream'],
      }),
    );
    const lines = planLines({ title: '', steps });
    const archive = lines.indexOf(
      `run tar --create --gzip --file ${BACKUP}/cinestream.data.tar.gz --directory /var/lib cinestream`,
    );
    expect(archive).toBeGreaterThan(lines.indexOf(`mkdir ${BACKUP} 0700 root:root`));
    expect(archive).toBeGreaterThan(lines.indexOf('service stop cinestream@8002.service'));
    expect(archive).toBeLessThan(lines.indexOf('remove /var/lib/cinestream -r'));
    expect(lines.filter((line) => line.startsWith('run tar'))).toHaveLength(1);
  });
});
