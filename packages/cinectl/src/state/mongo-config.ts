import { z } from 'zod';
import { CinectlError } from '../errors.ts';
import { readHostFile } from '../host/facts.ts';
import { MONGO_CONFIG } from '../plan/layout.ts';
import { Sensitive } from '../plan/sensitive.ts';
import { envValue } from './app-state.ts';
import { isPort, MAX_PORT, MIN_PORT } from './ports.ts';

/** How cinectl reaches the host's MongoDB: /etc/cinectl/mongo.json, written by init-server with mode 0600. */
export interface MongoSettings {
  host: string;
  port: number;
  /** The account with the root role that creates, backs up and drops the apps' databases and users. */
  admin: { user: string; password: Sensitive };
}

const WORD = /^[A-Za-z0-9._-]+$/;

const mongoSettingsSchema = z.object({
  // Goes into mongodb://HOST:PORT URIs and mongodump's --host as it is, so no IPv6 literals (they would need brackets).
  host: z.string().regex(/^[A-Za-z0-9.-]+$/, 'must be a host name or an IPv4 address like 127.0.0.1'),
  port: z.number().refine(isPort, `must be a port number (${MIN_PORT}–${MAX_PORT})`),
  admin: z.object({
    user: z.string().regex(WORD, 'must be one word of letters, digits, ".", "_" or "-"'),
    password: z.string().min(16, 'must be at least 16 characters'),
  }),
});

function problems(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'the file'} ${issue.message}`).join('; ');
}

/** The file's content: pretty JSON, so a person can read it (as root). */
export function serializeMongoSettings(settings: MongoSettings): string {
  const { host, port, admin } = settings;
  return `${JSON.stringify({ host, port, admin: { user: admin.user, password: admin.password.reveal() } }, null, 2)}\n`;
}

/** The settings, or null when MongoDB was not set up by cinectl (apps then use the embedded store). */
export async function readMongoSettings(root: string): Promise<MongoSettings | null> {
  const text = await readHostFile(root, MONGO_CONFIG);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = mongoSettingsSchema.safeParse(json);
  if (!parsed.success) {
    const reason = json === undefined ? 'it is not JSON' : problems(parsed.error);
    throw new CinectlError(`${MONGO_CONFIG} is not valid: ${reason}`, {
      hint: `fix the file (see docs/SECURITY.md, "MongoDB"), or run cinectl init-server to set MongoDB up again`,
    });
  }
  const { host, port, admin } = parsed.data;
  return { host, port, admin: { user: admin.user, password: new Sensitive(admin.password) } };
}

/**
 * The password of the app's MongoDB user from the MONGO_URI in its .env, kept across deploys like SECRET_KEY; null
 * when there is none, or when the URI is not one of this app's own user.
 */
export async function existingMongoPassword(root: string, app: string): Promise<string | null> {
  const uri = await envValue(root, app, 'MONGO_URI');
  if (!uri) return null;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  const password = decodeURIComponent(url.password);
  return url.protocol === 'mongodb:' && url.username === app && password.length >= 32 ? password : null;
}
