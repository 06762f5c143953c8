import { render } from '../render.ts';
import { NODE_PATH } from './layout.ts';
import { ROOT_OWNER, type Step } from './types.ts';

/** Where init-server puts the `cinectl` command: on root's and sudo's PATH. */
export const LAUNCHER_PATH = '/usr/local/bin/cinectl';

/** `cinectl` on the PATH, running the given checkout's packages/cinectl/bin/cinectl.js with the host's Node. */
export function launcherStep(checkout: string): Step {
  return {
    kind: 'write',
    title: `Install the cinectl command as ${LAUNCHER_PATH}`,
    path: LAUNCHER_PATH,
    content: render('cinectl/launcher.sh.hbs', {
      checkout,
      node: NODE_PATH,
      cli: `${checkout}/packages/cinectl/bin/cinectl.js`,
    }),
    mode: 0o755,
    owner: ROOT_OWNER,
  };
}
