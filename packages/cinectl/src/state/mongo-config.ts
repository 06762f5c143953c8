import { z } from 'zod';
import { CinectlError } from '../errors.ts';
import { readHostFile } from '../host/facts.ts';
import { MONGO_CONFIG } from '../plan/layout.ts';
import { Sensitive } from '../plan/sensitive.ts';

const mongoConfigSchema = z.object({
  uri: z.string().regex(/^mongodb(\+srv)?:\/\/[^/\s]+/, 'must look like mongodb://user:password@127.0.0.1:27017/db'),
});

/**
 * The MongoDB connection of the host, from /etc/cinectl/mongo.json (written by init-server, mode 0600). Absent →
 * undefined, and apps use the embedded store in /var/lib/<app>.
 */
export async function readMongoUri(root: string): Promise<Sensitive | undefined> {
  const text = await readHostFile(root, MONGO_CONFIG);
  if (text === null) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = mongoConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new CinectlError(`${MONGO_CONFIG} is not valid: expected {"uri": "mongodb://…"}`, {
      hint: `fix the file or remove it to use the embedded store`,
    });
  }
  return new Sensitive(parsed.data.uri);
}
