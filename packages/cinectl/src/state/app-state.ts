import { listHostDir, readHostFile, readHostLink } from '../host/facts.ts';
import { appPaths, FINGERPRINT_FILE } from '../plan/layout.ts';
import { releaseOfLink, sortReleases } from '../plan/release.ts';

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

/** The SECRET_KEY of the app's .env, kept across deploys; null when there is none (or it is too short). */
export async function existingSecretKey(root: string, app: string): Promise<string | null> {
  const env = await readHostFile(root, appPaths(app).envFile);
  const match = env === null ? null : /^SECRET_KEY=(.*)$/m.exec(env);
  const value = match?.[1]?.trim() ?? '';
  return value.length >= 32 ? value : null;
}
