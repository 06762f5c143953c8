import { render } from '../render.ts';
import { type FirewallFacts, firewallPlan } from './firewall.ts';
import { launcherStep } from './launcher.ts';
import { NGINX_INCLUDE_DIR, NGINX_UNIT } from './layout.ts';
import { boundedLogSteps } from './logs-bounded.ts';
import type { NginxApp, NginxHost } from './nginx.ts';
import { nginxCacheParentStep, nginxStep } from './nginx-step.ts';
import { BASE_PACKAGES, pacmanInstall, pacmanUpgrade } from './packages.ts';
import { TLS_CIPHERS, TLS_PROTOCOLS } from './tls.ts';
import type { Plan, Step } from './types.ts';
import { type AurInput, aurSteps } from './yay.ts';

/** The app init-server deploys, and where it answers. */
export const FIRST_APP = 'cinestream';
export const FIRST_APP_URL = `http://localhost/${FIRST_APP}/`;
/** yay comes from the yay-bin package, which provides `yay`. */
export const YAY = 'yay';
const PACMAN_TIMEOUT_MS = 60 * 60_000;

export interface PackageFacts {
  /** Of the base packages, yay and the MongoDB AUR packages: those no installed package satisfies. */
  missing: string[];
  /** Installed packages the mirrors have newer versions of; null when that could not be found out. */
  upgrades: string[] | null;
}

/**
 * `pacman -Syu`, then `pacman -S --needed` of the base packages that are missing. The upgrade runs when there is
 * one, when it could not be checked, and before anything is installed (never install from stale databases);
 * a host with everything current gets no step at all.
 */
export function packageSteps(facts: PackageFacts, root: string): Step[] {
  const missingBase = BASE_PACKAGES.filter((name) => facts.missing.includes(name));
  const steps: Step[] = [];
  const upgrades = facts.upgrades;
  if (upgrades === null || upgrades.length > 0 || facts.missing.length > 0) {
    const what =
      upgrades === null
        ? 'whatever is outdated (not known beforehand)'
        : upgrades.length === 0
          ? 'nothing yet'
          : `${upgrades.length} package${upgrades.length === 1 ? '' : 's'}`;
    steps.push({
      kind: 'run',
      title: `Refresh the package databases and upgrade ${what} (pacman -Syu)`,
      argv: pacmanUpgrade(root),
      timeoutMs: PACMAN_TIMEOUT_MS,
    });
  }
  if (missingBase.length > 0) {
    steps.push({
      kind: 'run',
      title: `Install ${missingBase.join(', ')}`,
      argv: pacmanInstall(missingBase, root),
      unless: { kind: 'packages-installed', packages: [...missingBase] },
      timeoutMs: PACMAN_TIMEOUT_MS,
    });
  }
  return steps;
}

export interface InstallInput {
  root: string;
  packages: PackageFacts;
  /** The AUR part (yay, MongoDB); null where it cannot run (a --root tree). */
  aur: AurInput | null;
}

/** init-server's first part: the system up to date, the base packages, yay and MongoDB's packages. */
export function installPlan(input: InstallInput): Plan {
  const notes =
    input.aur === null
      ? ['yay and the MongoDB packages are built from the AUR only on the running host: left out under --root']
      : [];
  return {
    title: 'Install the packages',
    steps: [...packageSteps(input.packages, input.root), ...(input.aur ? aurSteps(input.aur) : [])],
    notes,
  };
}

/** The whole /etc/nginx/nginx.conf of a cinectl server (templates/nginx/nginx.conf.hbs). */
export function serverNginxConf(host: Pick<NginxHost, 'ipv6'>): string {
  return render('nginx/nginx.conf.hbs', {
    includeDir: NGINX_INCLUDE_DIR,
    ipv6: host.ipv6,
    protocols: TLS_PROTOCOLS.join(' '),
    ciphers: TLS_CIPHERS.join(':'),
  });
}

export interface SetupInput {
  /** MongoDB's part (plan/mongo.ts), built from its facts once the packages are installed. */
  mongo: Step[];
  /** The apps on the host: their nginx files stay as they are. */
  apps: NginxApp[];
  nginx: NginxHost;
  firewall: FirewallFacts;
  /** Whether logrotate.timer is installed (by the logrotate package). */
  logrotateTimer?: boolean;
  /** The checkout whose cinectl goes on the PATH (/usr/local/bin/cinectl); none when not given. */
  checkout?: string;
}

/** init-server's second part: MongoDB, nginx (enabled and running with cinectl's nginx.conf) and the firewall. */
export function setupPlan(input: SetupInput): Plan {
  const firewall = firewallPlan(input.firewall);
  return {
    title: 'Set up MongoDB, nginx and the firewall',
    steps: [
      ...input.mongo,
      nginxCacheParentStep(),
      nginxStep(
        { apps: input.apps, nginxConf: serverNginxConf(input.nginx), host: input.nginx },
        "Write nginx.conf with cinectl's include line and a default server answering 444 (nginx -t, then reload)",
      ),
      { kind: 'service', title: `Enable ${NGINX_UNIT}`, unit: NGINX_UNIT, action: 'enable' },
      { kind: 'service', title: `Start ${NGINX_UNIT}`, unit: NGINX_UNIT, action: 'start' },
      ...firewall.steps,
      ...boundedLogSteps(input.logrotateTimer ?? false),
      ...(input.checkout ? [launcherStep(input.checkout)] : []),
    ],
    notes: firewall.notes,
  };
}
