import { serializeDeployConfig } from '../state/deploy-config.ts';
import { type ReleaseHistory, serializeReleaseHistory, withLive } from '../state/release-history.ts';
import { HEALTH_TIMEOUT_MS } from './deploy.ts';
import { appPaths } from './layout.ts';
import { releaseLink } from './release.ts';
import { instanceName } from './systemd.ts';
import type { Plan } from './types.ts';
import { ROOT_OWNER } from './types.ts';

export interface RollbackInput {
  app: string;
  ports: number[];
  domain: string | null;
  created: string;
  /** The live release now. */
  current: string;
  /** The release to go back to. */
  target: string;
  /** The app's release history and its releases now, and the time of the rollback (ISO). */
  history: ReleaseHistory;
  releases: string[];
  now: string;
  healthTimeoutMs?: number;
}

/** rollback: `current` back to the previous release, workers restarted one at a time, the registry updated. */
export function rollbackPlan(input: RollbackInput): Plan {
  const paths = appPaths(input.app);
  return {
    title: `Roll ${input.app} back to ${input.target}`,
    steps: [
      {
        kind: 'symlink',
        id: 'current',
        title: `Switch ${paths.current} back to release ${input.target}`,
        path: paths.current,
        target: releaseLink(input.target),
      },
      {
        kind: 'rolling-restart',
        title: `Restart ${input.app}'s workers one at a time`,
        when: { changed: ['current'] },
        app: input.app,
        instances: input.ports.map((port) => ({ unit: instanceName(input.app, port), port })),
        healthTimeoutMs: input.healthTimeoutMs ?? HEALTH_TIMEOUT_MS,
        link: { path: paths.current, target: releaseLink(input.target), previous: releaseLink(input.current) },
      },
      {
        kind: 'write',
        title: `Record release ${input.target} in ${paths.deployConfig}`,
        path: paths.deployConfig,
        content: serializeDeployConfig({
          name: input.app,
          ports: input.ports,
          domain: input.domain,
          created: input.created,
          release: input.target,
        }),
        mode: 0o644,
        owner: ROOT_OWNER,
      },
      {
        kind: 'write',
        title: `Record when release ${input.target} went live`,
        path: paths.releaseHistory,
        content: serializeReleaseHistory(withLive(input.history, input.target, input.now, input.releases)),
        mode: 0o644,
        owner: ROOT_OWNER,
      },
    ],
  };
}
