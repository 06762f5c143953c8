import { z } from 'zod';
import { RELEASE_NAME } from '../plan/layout.ts';
import { isAppName } from './app-name.ts';
import { isDomain } from './domain.ts';
import { isPort, MAX_PORT, MIN_PORT } from './ports.ts';

const port = z.number().refine(isPort, `must be a port number (${MIN_PORT}–${MAX_PORT})`);

/** `/var/www/<app>/.deploy_config`: the registry entry of one app. */
export const deployConfigSchema = z.object({
  name: z.string().refine(isAppName, 'must be a valid app name'),
  /** The ports of the app's worker instances (the first N of its block of 12). */
  ports: z.array(port).min(1, 'must list at least one port'),
  /** Public domain once `set-domain` ran; null while the app is served on localhost only. */
  domain: z
    .string()
    .refine(isDomain, 'must be a domain in lowercase ASCII like films.example.com (punycode for IDN)')
    .nullable()
    .default(null),
  /** ISO-8601 time of the first deploy. */
  created: z.iso.datetime({ offset: true }),
  /** Name of the live release directory, null before the first release went live. */
  release: z.string().regex(RELEASE_NAME, 'must be a release directory name').nullable(),
});

export type DeployConfig = z.infer<typeof deployConfigSchema>;

/** Parses the file's text; returns the problems as dot-path messages instead of throwing. */
export function parseDeployConfig(text: string): { config?: DeployConfig; errors: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { errors: ['not valid JSON'] };
  }
  const parsed = deployConfigSchema.safeParse(json, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is missing' : undefined),
  });
  if (parsed.success) return { config: parsed.data, errors: [] };
  return { errors: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`) };
}

/** Stable JSON, one field per line and the ports on one line, so diffs of it stay short. */
export function serializeDeployConfig(config: DeployConfig): string {
  const fields: [keyof DeployConfig, unknown][] = [
    ['name', config.name],
    ['ports', config.ports],
    ['domain', config.domain],
    ['created', config.created],
    ['release', config.release],
  ];
  return `{\n${fields.map(([key, value]) => `  "${key}": ${JSON.stringify(value)}`).join(',\n')}\n}\n`;
}
