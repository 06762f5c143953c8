import { daemonReload, tarCreate } from './argv.ts';
import { backupTimerOf } from './backup.ts';
import { appPaths, DATA_ROOT, dropInDir, NOLOGIN_SHELL } from './layout.ts';
import { type MongoSettings, mongoAppDropStep } from './mongo.ts';
import type { NginxApp, NginxHost } from './nginx.ts';
import { nginxStep } from './nginx-step.ts';
import { instanceName } from './systemd.ts';
import { hostPath, type Plan, type Step } from './types.ts';

export interface RemoveInput {
  app: string;
  ports: number[];
  /** The apps that stay. */
  otherApps: NginxApp[];
  /** nginx.conf as it is now; null when nginx is not installed (no nginx step then). */
  nginxConf: string | null;
  nginx: NginxHost;
  /** Also delete releases, .env, data and the system user. */
  purge: boolean;
  /** With `purge` on a host with cinectl's MongoDB: the app's user and database, as they are dropped. */
  mongoSettings?: MongoSettings;
  /** With `purge`: the archive the data directory is saved to (its workers stopped) before it is deleted. */
  dataArchive?: string;
}

/**
 * remove-app: workers stopped and disabled, units and nginx files removed, the registry entry deleted (its port
 * block becomes free). Releases, .env, data and the account stay unless `purge`.
 */
export function removePlan(input: RemoveInput): Plan {
  const { app } = input;
  const paths = appPaths(app);
  const units = input.ports.map((port) => ({ port, unit: instanceName(app, port) }));
  const steps: Step[] = [
    ...units.flatMap(({ unit }): Step[] => [
      { kind: 'service', title: `Stop ${unit}`, unit, action: 'stop' },
      { kind: 'service', title: `Disable ${unit}`, unit, action: 'disable' },
    ]),
    // Once no worker can write to it, and while the app is still registered, so a failed drop can be run again.
    ...(input.purge && input.mongoSettings ? [mongoAppDropStep(input.mongoSettings, app)] : []),
    ...(input.nginxConf === null
      ? []
      : [
          nginxStep(
            { apps: input.otherApps, nginxConf: input.nginxConf, host: input.nginx },
            `Remove ${app} from nginx (test with nginx -t, then reload)`,
          ),
        ]),
    { kind: 'service', title: `Stop ${backupTimerOf(app)}`, unit: backupTimerOf(app), action: 'stop' },
    { kind: 'service', title: `Disable ${backupTimerOf(app)}`, unit: backupTimerOf(app), action: 'disable' },
    ...units.map(
      ({ port, unit }): Step => ({
        kind: 'remove',
        id: 'units',
        title: `Remove the drop-ins of ${unit}`,
        path: dropInDir(app, port),
        recursive: true,
      }),
    ),
    { kind: 'remove', id: 'units', title: `Remove the systemd unit ${app}@.service`, path: paths.unitFile },
    { kind: 'run', title: 'Reload systemd', argv: daemonReload(), live: true, when: { changed: ['units'] } },
    { kind: 'remove', title: `Free ${app}'s ports: remove ${paths.deployConfig}`, path: paths.deployConfig },
  ];
  if (input.purge) {
    steps.push(
      { kind: 'remove', title: `Delete ${paths.appDir} (releases and .env)`, path: paths.appDir, recursive: true },
      ...(input.dataArchive
        ? [
            {
              kind: 'run',
              title: `Save the data in ${paths.dataDir} to ${input.dataArchive}`,
              argv: tarCreate(hostPath(input.dataArchive), hostPath(DATA_ROOT), app),
            } satisfies Step,
          ]
        : []),
      { kind: 'remove', title: `Delete the data in ${paths.dataDir}`, path: paths.dataDir, recursive: true },
      deleteAppUserStep(app),
    );
  }
  return { title: `Remove ${app}${input.purge ? ' and its data' : ''}`, steps };
}

/**
 * remove-app --purge of an app a plain remove-app already unregistered: what it left (its directory with .env and
 * releases, its data, its MongoDB database and user, its account) deleted.
 */
export function purgeLeftoversPlan(input: { app: string; mongoSettings?: MongoSettings }): Plan {
  const { app } = input;
  const paths = appPaths(app);
  return {
    title: `Delete what remained of ${app}`,
    steps: [
      ...(input.mongoSettings ? [mongoAppDropStep(input.mongoSettings, app)] : []),
      { kind: 'remove', title: `Delete ${paths.appDir} (releases and .env)`, path: paths.appDir, recursive: true },
      { kind: 'remove', title: `Delete the data in ${paths.dataDir}`, path: paths.dataDir, recursive: true },
      deleteAppUserStep(app),
    ],
  };
}

/** The app's system account, deleted (its home is the app's directory). */
function deleteAppUserStep(app: string): Step {
  return {
    kind: 'user',
    title: `Delete the system user ${app}`,
    name: app,
    ensure: 'absent',
    home: appPaths(app).appDir,
    shell: NOLOGIN_SHELL,
  };
}
