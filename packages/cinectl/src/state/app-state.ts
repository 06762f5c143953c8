import { InternalError } from '../errors.ts';
import { listHostDir, readHostFile, readHostLink } from '../host/facts.ts';
import { appPaths, FINGERPRINT_FILE } from '../plan/layout.ts';
import { releaseOfLink, sortReleases } from '../plan/release.ts';
import { parseReleaseHistory, type ReleaseHistory } from './release-history.ts';

/** The release `current` points at, or null before the first deploy. */
export async function currentRelease(root: string, app: string): Promise<string | null> {
  return releaseOfLink(await readHostLink(root, appPaths(app).current));
}

/** Release directory names, oldest first. */
export async function listReleases(root: string, app: string): Promise<string[]> {
  return sortReleases(await listHostDir(root, appPaths(app).releasesDir));
}

/** The source fingerprint a release was built from; null for an incomplete or foreign release. */
export async function releaseFingerprint(root: string, app: string, release: string): Promise<string | null> {
  const text = await readHostFile(root, `${appPaths(app).releasesDir}/${release}/${FINGERPRINT_FILE}`);
  return text?.trim() || null;
}

/** The value of `KEY=…` in the app's .env (trimmed); null when the file or the line is not there. */
export async function envValue(root: string, app: string, key: string): Promise<string | null> {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) throw new InternalError(`"${key}" is not a variable name`);
  const env = await readHostFile(root, appPaths(app).envFile);
  const value = env === null ? undefined : new RegExp(`^${key}=(.*)$`, 'm').exec(env)?.[1];
  return value === undefined ? null : value.trim();
}

/** The SECRET_KEY of the app's .env, kept across deploys; null when there is none (or it is too short). */
export async function existingSecretKey(root: string, app: string): Promise<string | null> {
  const value = (await envValue(root, app, 'SECRET_KEY')) ?? '';
  return value.length >= 32 ? value : null;
}

/** The app's release history (commits, build and go-live times); empty when there is none yet. */
export async function readReleaseHistory(root: string, app: string): Promise<ReleaseHistory> {
  return parseReleaseHistory(await readHostFile(root, appPaths(app).releaseHistory));
}
