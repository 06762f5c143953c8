import { HEALTH_TIMEOUT_MS } from './deploy.ts';
import { appPaths } from './layout.ts';
import { releaseLink } from './release.ts';
import { Sensitive } from './sensitive.ts';
import { instanceName } from './systemd.ts';
import { type Plan, ROOT_OWNER, type Step } from './types.ts';

export interface AppUnits {
  app: string;
  ports: number[];
}

const instances = (input: AppUnits) => input.ports.map((port) => ({ unit: instanceName(input.app, port), port }));

/** The app's workers restarted one at a time, each answering /healthz before the next. */
export function rollingRestartStep(input: AppUnits & { release: string; healthTimeoutMs?: number }): Step {
  const paths = appPaths(input.app);
  return {
    kind: 'rolling-restart',
    title: `Restart ${input.app}'s workers one at a time`,
    app: input.app,
    instances: instances(input),
    healthTimeoutMs: input.healthTimeoutMs ?? HEALTH_TIMEOUT_MS,
    link: { path: paths.current, target: releaseLink(input.release), previous: null },
  };
}

export function restartPlan(input: AppUnits & { release: string; healthTimeoutMs?: number }): Plan {
  return { title: `Restart ${input.app}`, steps: [rollingRestartStep(input)] };
}

/** Each worker started, then checked on /healthz. */
export function startPlan(input: AppUnits & { healthTimeoutMs?: number }): Plan {
  const all = instances(input);
  return {
    title: `Start ${input.app}`,
    steps: [
      ...all.map(
        (instance): Step => ({
          kind: 'service',
          title: `Start ${instance.unit}`,
          unit: instance.unit,
          action: 'start',
        }),
      ),
      ...all.map(
        (instance): Step => ({
          kind: 'check',
          title: `Check that ${instance.unit} answers /healthz`,
          what: `${instance.unit} is not healthy`,
          probe: { kind: 'healthz', port: instance.port, timeoutMs: input.healthTimeoutMs ?? HEALTH_TIMEOUT_MS },
          hint: `look at cinectl logs ${input.app} --worker ${instance.port} for the reason`,
        }),
      ),
    ],
  };
}

export function stopPlan(input: AppUnits): Plan {
  return {
    title: `Stop ${input.app}`,
    steps: instances(input).map(
      (instance): Step => ({
        kind: 'service',
        title: `Stop ${instance.unit}`,
        unit: instance.unit,
        action: 'stop',
      }),
    ),
  };
}

/** site.env written (0600, its values secret), then the workers restarted one at a time when it changed. */
export function siteEnvPlan(input: AppUnits & { release: string | null; content: string; title: string }): Plan {
  const paths = appPaths(input.app);
  return {
    title: input.title,
    steps: [
      {
        kind: 'write',
        id: 'site-env',
        title: `Write ${paths.siteEnv}`,
        path: paths.siteEnv,
        content: input.content,
        mode: 0o600,
        owner: ROOT_OWNER,
        secrets: [new Sensitive(input.content)],
      },
      ...(input.release === null
        ? []
        : [{ ...rollingRestartStep({ ...input, release: input.release }), when: { changed: ['site-env'] } }]),
    ],
  };
}
