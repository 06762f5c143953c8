import { dirname } from 'node:path';
import { appPaths, MONGODB_UNIT, NGINX_CACHE_DIR, NGINX_UNIT } from './layout.ts';
import { MONGO_AUR_PACKAGES, type MongoServerFacts, mongoBackupSteps } from './mongo.ts';
import type { NginxHost } from './nginx.ts';
import { nginxStep } from './nginx-step.ts';
import { pacmanRemove } from './packages.ts';
import { removePlan } from './remove.ts';
import { Sensitive } from './sensitive.ts';
import { type Plan, ROOT_OWNER, type Step } from './types.ts';
import { removeBuilderSteps } from './yay.ts';

/** The packages `uninit-server yes` removes (MongoDB's and nginx), in that order. */
export const REMOVABLE_PACKAGES = [...MONGO_AUR_PACKAGES, 'nginx'] as const;

export interface UninitInput {
  root: string;
  apps: { name: string; ports: number[] }[];
  /** nginx.conf as it is now; null when nginx is not installed. */
  nginxConf: string | null;
  nginx: NginxHost;
  /** `uninit-server yes`: also remove the MongoDB and nginx packages. */
  removePackages: boolean;
  /** --purge-data: also delete the apps' data directories, databases and accounts. */
  purgeData: boolean;
  mongo: MongoServerFacts;
  /** Where the mongodump archives and the apps' site.env go: /var/backups/cinestream/<UTC timestamp>. */
  backupDir: string;
  /** The apps' own settings (`/var/www/<app>/site.env`) by app name: kept in the backup directory. */
  siteEnvs: Map<string, string>;
  /** The apps whose data directory exists: with --purge-data each is saved to the backup directory first. */
  appsWithData?: string[];
  /** Which of REMOVABLE_PACKAGES are installed (exact names). */
  installed: string[];
  /** Whether mongodb.service and nginx.service have unit files. */
  units: { mongodb: boolean; nginx: boolean };
  buildUserExists: boolean;
}

/** Stopped, disabled and uninstalled, MongoDB's first (nginx may still serve a maintenance page meanwhile). */
function packageRemovalSteps(input: UninitInput): Step[] {
  if (!input.removePackages) return [];
  const services = [...(input.units.mongodb ? [MONGODB_UNIT] : []), ...(input.units.nginx ? [NGINX_UNIT] : [])].flatMap(
    (unit): Step[] => [
      { kind: 'service', title: `Stop ${unit}`, unit, action: 'stop' },
      { kind: 'service', title: `Disable ${unit}`, unit, action: 'disable' },
    ],
  );
  const removal: Step[] =
    input.installed.length === 0
      ? []
      : [
          {
            kind: 'run',
            title: `Remove the packages ${input.installed.join(', ')} (pacman -Rns)`,
            argv: pacmanRemove(input.installed, input.root),
          },
        ];
  return [...services, ...removal];
}

/** The backup directory and the one above it (/var/backups/cinestream), both 0700. */
export function backupDirSteps(dir: string): Step[] {
  return [
    { kind: 'mkdir', title: `Create ${dirname(dir)}`, path: dirname(dir), mode: 0o700, owner: ROOT_OWNER },
    { kind: 'mkdir', title: `Create the backup directory ${dir}`, path: dir, mode: 0o700, owner: ROOT_OWNER },
  ];
}

/** The operator's settings (a Gemini key, …) cannot be made again by cinectl: copied out before the app goes. */
function siteEnvSteps(input: UninitInput): Step[] {
  const dir = input.backupDir;
  return [...input.siteEnvs].map(
    ([app, content]): Step => ({
      kind: 'write',
      title: `Keep ${app}'s site.env as ${dir}/${app}.site.env`,
      path: `${dir}/${app}.site.env`,
      content,
      mode: 0o600,
      owner: ROOT_OWNER,
      secrets: [new Sensitive(content)],
    }),
  );
}

/**
 * uninit-server: every app's units, nginx files and directory removed, then cinectl's build account. MongoDB, nginx
 * and the data stay. With `yes` the MongoDB and nginx packages go too — after a mongodump of every app database.
 * Data (/var/lib/<app>, the databases, the app accounts owning them) is deleted only with --purge-data, after that
 * same backup.
 */
export function uninitPlan(input: UninitInput): Plan {
  const names = input.apps.map((app) => app.name);
  const dumps = input.removePackages || input.purgeData ? mongoBackupSteps(input.mongo, names, input.backupDir) : [];
  const archived = input.purgeData ? (input.appsWithData ?? []).filter((name) => names.includes(name)) : [];
  const copies = [...dumps, ...siteEnvSteps(input)];
  const backup = copies.length > 0 || archived.length > 0 ? [...backupDirSteps(input.backupDir), ...copies] : [];
  const mongoSettings = input.mongo.settings;
  const apps = input.apps.flatMap((app): Step[] => {
    // With --purge-data each app's database is dropped while the app is still registered, so a failed drop is
    // tried again by the next run.
    const removal = removePlan({
      app: app.name,
      ports: app.ports,
      otherApps: [],
      nginxConf: null,
      nginx: input.nginx,
      purge: input.purgeData,
      ...(mongoSettings ? { mongoSettings } : {}),
      ...(archived.includes(app.name) ? { dataArchive: `${input.backupDir}/${app.name}.data.tar.gz` } : {}),
    }).steps;
    if (input.purgeData) return removal;
    const { appDir } = appPaths(app.name);
    return [
      ...removal,
      { kind: 'remove', title: `Delete ${appDir} (releases, .env, site.env)`, path: appDir, recursive: true },
    ];
  });
  const nginx: Step[] =
    input.nginxConf === null
      ? []
      : [
          {
            ...nginxStep(
              { apps: [], nginxConf: input.nginxConf, host: input.nginx },
              "Remove cinectl's nginx files (test with nginx -t, then reload)",
            ),
            // nginx.conf stays as it is: an include of an empty directory is harmless, and a host without it keeps none.
            conf: input.nginxConf,
          },
          {
            kind: 'remove',
            title: `Remove the apps' microcache ${NGINX_CACHE_DIR}`,
            path: NGINX_CACHE_DIR,
            recursive: true,
          },
        ];
  const what = [
    input.removePackages ? 'the MongoDB and nginx packages' : '',
    input.purgeData ? 'all app data' : '',
  ].filter(Boolean);
  return {
    title: `Remove every app${what.length > 0 ? ` with ${what.join(' and ')}` : ''}`,
    steps: [...backup, ...apps, ...nginx, ...removeBuilderSteps(input.buildUserExists), ...packageRemovalSteps(input)],
  };
}

/** True when the plan writes backups (MongoDB archives, site.env files), for the line that says where. */
export function writesBackup(plan: Plan, dir: string): boolean {
  return plan.steps.some((step) => step.kind === 'mkdir' && step.path === dir);
}
