// Checks environment files with the site's own configuration rules, as the site would read them at start-up:
// `node dist/scripts/check-env.js FILE…` (later files override earlier ones, like systemd's EnvironmentFile=).
// Prints one line per problem on stderr and exits 1; prints nothing and exits 0 when the configuration is good.
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';

function readEnvFile(file: string): Record<string, string> {
  try {
    return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new ConfigError([`${file}: cannot be read (${code ?? message})`]);
  }
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write('usage: check-env FILE… (environment files, later ones override earlier ones)\n');
  process.exit(2);
}
try {
  loadConfig(Object.assign({}, ...files.map(readEnvFile)));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(error.problems.map((problem) => `${problem}\n`).join(''));
  process.exitCode = 1;
}
