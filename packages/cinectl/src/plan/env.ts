import { InternalError } from '../errors.ts';
import { render } from '../render.ts';

export interface WebEnvVars {
  app: string;
  ports: number[];
  basePath: string;
  secretKey: string;
  dataDir: string;
  mongoUri?: string;
  donateUrl?: string;
  geminiApiKey?: string;
}

const BASE_PATH = /^(\/[a-z0-9._~-]+)+$/i;
const ONE_LINE = /^[^\s\p{Cc}"'\\$]+$/u;

/** `8001-8012` for a block of consecutive ports, else the ports one by one. */
export function portRange(ports: number[]): string {
  const sorted = [...ports].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) throw new InternalError('an app needs at least one port');
  const consecutive = sorted.every((port, i) => port === first + i);
  return consecutive && sorted.length > 1 ? `${first}-${last}` : sorted.join(',');
}

function checkValue(key: string, value: string | undefined, shown: boolean): void {
  if (value !== undefined && !ONE_LINE.test(value)) {
    throw new InternalError(
      `${key} cannot go into the .env file: it must be one word without spaces, quotes, backslashes or dollar signs${shown ? ` (got "${value}")` : ''}`,
    );
  }
}

/** The app's `.env` (templates/env/web.env.hbs): everything a worker needs except its PORT, which systemd gives. */
export function webEnv(vars: WebEnvVars): string {
  if (!BASE_PATH.test(vars.basePath)) {
    throw new InternalError(`BASE_PATH must be a path like /myapp (got "${vars.basePath}")`);
  }
  if (vars.secretKey.length < 32) throw new InternalError('SECRET_KEY must be at least 32 characters');
  checkValue('app', vars.app, true);
  checkValue('DATA_DIR', vars.dataDir, true);
  checkValue('SECRET_KEY', vars.secretKey, false);
  checkValue('MONGO_URI', vars.mongoUri, false);
  checkValue('DONATE_URL', vars.donateUrl, true);
  checkValue('GEMINI_API_KEY', vars.geminiApiKey, false);
  return render('env/web.env.hbs', {
    appName: vars.app,
    portRange: portRange(vars.ports),
    basePath: vars.basePath,
    secretKey: vars.secretKey,
    dataDir: vars.dataDir,
    mongoUri: vars.mongoUri,
    donateUrl: vars.donateUrl,
    geminiApiKey: vars.geminiApiKey,
  });
}
