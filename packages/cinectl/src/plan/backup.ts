import { UsageError } from '../errors.ts';
import { render } from '../render.ts';
import { LAUNCHER_PATH } from './launcher.ts';
import { BACKUP_ROOT, SYSTEMD_DIR } from './layout.ts';
import { ROOT_OWNER, type Step } from './types.ts';

/** Backups kept per app when none is said (the daily timer's retention). */
export const DEFAULT_KEPT_BACKUPS = 7;

/** Where `cinectl backup APP` puts its files when --to is not given. */
export function appBackupDir(app: string): string {
  return `${BACKUP_ROOT}/${app}`;
}

/** `films-20250314T091500Z.db` (SQLite) or `films-20250314T091500Z.archive.gz` (MongoDB). */
export function backupFileName(app: string, stamp: string, kind: 'sqlite' | 'mongodb'): string {
  return `${app}-${stamp}${kind === 'sqlite' ? '.db' : '.archive.gz'}`;
}

const BACKUP_FILE = (app: string) => new RegExp(`^${app}-\\d{8}T\\d{6}Z(-\\d+)?\\.(db|archive\\.gz)$`);

/** The app's backup files in a directory listing that go beyond the newest `keep` (names sort by time). */
export function backupsToPrune(app: string, names: readonly string[], keep: number): string[] {
  const backups = names.filter((name) => BACKUP_FILE(app).test(name)).sort();
  return backups.slice(0, Math.max(0, backups.length - keep));
}

export function parseKeep(text: string | undefined): number {
  if (text === undefined) return DEFAULT_KEPT_BACKUPS;
  const keep = Number(text);
  if (!/^\d+$/.test(text) || keep < 1 || keep > 1000) {
    throw new UsageError(`--keep ${JSON.stringify(text)} must be a whole number from 1 to 1000`, 'e.g. --keep 7');
  }
  return keep;
}

/** mongodump / mongorestore of the app's own database with the app's own user; the URI comes from a 0600 file. */
export function mongodumpAppArgv(configFile: string, app: string, archive: string): string[] {
  return ['mongodump', `--config=${configFile}`, `--db=${app}`, `--archive=${archive}`, '--gzip'];
}

export function mongorestoreAppArgv(configFile: string, app: string, archive: string): string[] {
  return ['mongorestore', `--config=${configFile}`, `--nsInclude=${app}.*`, '--drop', `--archive=${archive}`, '--gzip'];
}

export const BACKUP_SERVICE = 'cinectl-backup@.service';
export const BACKUP_TIMER = 'cinectl-backup@.timer';

/** The app's daily backup timer: `cinectl-backup@films.timer`. */
export function backupTimerOf(app: string): string {
  return `cinectl-backup@${app}.timer`;
}

/** The daily backup's template units (shared by every app), ids `backup-units` for the daemon-reload. */
export function backupUnitSteps(keep = DEFAULT_KEPT_BACKUPS): Step[] {
  return [
    {
      kind: 'write',
      id: 'backup-units',
      title: `Write the daily backup units ${BACKUP_SERVICE} and ${BACKUP_TIMER}`,
      path: `${SYSTEMD_DIR}/${BACKUP_SERVICE}`,
      content: render('systemd/cinectl-backup@.service.hbs', { launcher: LAUNCHER_PATH, keep }),
      mode: 0o644,
      owner: ROOT_OWNER,
    },
    {
      kind: 'write',
      id: 'backup-units',
      title: `Write ${BACKUP_TIMER}`,
      path: `${SYSTEMD_DIR}/${BACKUP_TIMER}`,
      content: render('systemd/cinectl-backup@.timer.hbs', {}),
      mode: 0o644,
      owner: ROOT_OWNER,
    },
  ];
}
