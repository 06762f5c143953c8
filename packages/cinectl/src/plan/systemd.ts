import { InternalError } from '../errors.ts';
import { render } from '../render.ts';
import { appNameProblem } from '../state/app-name.ts';
import { isPort, MAX_PORT, MIN_PORT } from '../state/ports.ts';
import { isAccountName } from './account.ts';
import { DEFAULT_LIMITS, type ResourceLimits } from './limits.ts';

export interface UnitVars {
  app: string;
  user: string;
  /** /var/www/NAME */
  appDir: string;
  /** /var/lib/NAME */
  dataDir: string;
  /** /usr/bin/node */
  nodePath: string;
  /** Units the workers start after besides the network, e.g. ['mongodb.service']. */
  after?: string[];
  /** Each worker's limits (default DEFAULT_LIMITS). */
  limits?: ResourceLimits;
}

const PATH = /^(\/[A-Za-z0-9._@+-]+)+$/;
const UNIT = /^[A-Za-z0-9:_.@-]+\.(service|target|socket|mount)$/;

function checkName(app: string): void {
  const problem = appNameProblem(app);
  if (problem !== undefined) throw new InternalError(`"${app}" cannot name a systemd unit: it ${problem}`);
}

/** The template unit of an app's workers: 'NAME@.service'. */
export function unitName(app: string): string {
  checkName(app);
  return `${app}@.service`;
}

/** One worker of an app: 'NAME@PORT.service'. */
export function instanceName(app: string, port: number): string {
  checkName(app);
  if (!isPort(port)) throw new InternalError(`${port} is not a port number (${MIN_PORT}–${MAX_PORT})`);
  return `${app}@${port}.service`;
}

/**
 * The template unit: runs `${appDir}/current/dist/server.js` with EnvironmentFile=${appDir}/.env and PORT from the
 * instance name (%i), as the app's own user, hardened.
 */
export function serviceUnit(vars: UnitVars): string {
  checkName(vars.app);
  if (!isAccountName(vars.user)) throw new InternalError(`"${vars.user}" is not a valid system user name`);
  for (const [key, value] of [
    ['appDir', vars.appDir],
    ['dataDir', vars.dataDir],
    ['nodePath', vars.nodePath],
  ] as const) {
    if (!PATH.test(value)) throw new InternalError(`${key} must be an absolute path without spaces (got "${value}")`);
  }
  const after = vars.after ?? [];
  for (const unit of after) {
    if (!UNIT.test(unit)) throw new InternalError(`"${unit}" is not a systemd unit name like mongodb.service`);
  }
  return render('systemd/app@.service.hbs', {
    app: vars.app,
    user: vars.user,
    appDir: vars.appDir,
    dataDir: vars.dataDir,
    nodePath: vars.nodePath,
    after,
    limits: vars.limits ?? DEFAULT_LIMITS,
  });
}

/** Contents of NAME@PORT.service.d/cpu.conf: the worker runs on these cores (CPUAffinity= cannot use %i). */
export function cpuDropIn(cpus: number[]): string {
  if (cpus.length === 0 || !cpus.every((cpu) => Number.isInteger(cpu) && cpu >= 0 && cpu < 8192)) {
    throw new InternalError(`CPU affinity needs at least one CPU number (got [${cpus.join(', ')}])`);
  }
  return render('systemd/cpu.conf.hbs', { cpus: [...new Set(cpus)].sort((a, b) => a - b).join(' ') });
}
