import type { Step } from './types.ts';

/** What a server needs open: SSH to manage it, HTTP and HTTPS for visitors. */
export const OPEN_PORTS = [
  { port: 22, service: 'ssh' },
  { port: 80, service: 'http' },
  { port: 443, service: 'https' },
] as const;

export type FirewallFacts =
  | { kind: 'none' }
  /** `rules`: what `ufw show added` lists after "ufw allow", e.g. "22/tcp", "80", "OpenSSH". */
  | { kind: 'ufw'; active: boolean; rules: string[] }
  /** `services` and `ports` of the permanent configuration of the default zone. */
  | { kind: 'firewalld'; running: boolean; services: string[]; ports: string[] };

export interface FirewallPlan {
  steps: Step[];
  notes: string[];
}

function ufwAllows(rules: readonly string[], port: number, service: string): boolean {
  const names = [`${port}`, `${port}/tcp`, service, service === 'ssh' ? 'OpenSSH' : ''].filter(Boolean);
  return rules.some((rule) => names.includes(rule));
}

function firewalldAllows(facts: { services: string[]; ports: string[] }, port: number, service: string): boolean {
  return facts.services.includes(service) || facts.ports.includes(`${port}/tcp`);
}

function ufwPlan(facts: Extract<FirewallFacts, { kind: 'ufw' }>): FirewallPlan {
  const steps: Step[] = OPEN_PORTS.filter(({ port, service }) => !ufwAllows(facts.rules, port, service)).map(
    ({ port, service }): Step => ({
      kind: 'run',
      title: `Allow ${service} (port ${port}) in ufw`,
      argv: ['ufw', 'allow', `${port}/tcp`],
      live: true,
    }),
  );
  const notes = facts.active
    ? []
    : ['ufw is installed but not enabled: the rules for 22, 80 and 443 are in place for when you run "ufw enable"'];
  return { steps, notes };
}

function firewalldPlan(facts: Extract<FirewallFacts, { kind: 'firewalld' }>): FirewallPlan {
  const missing = OPEN_PORTS.filter(({ port, service }) => !firewalldAllows(facts, port, service));
  if (!facts.running) {
    return {
      steps: missing.map(
        ({ port, service }): Step => ({
          kind: 'run',
          title: `Allow ${service} (port ${port}) in firewalld's configuration`,
          argv: ['firewall-offline-cmd', `--add-service=${service}`],
          live: true,
        }),
      ),
      notes: ['firewalld is installed but not running: the rules for 22, 80 and 443 apply when it starts'],
    };
  }
  const steps: Step[] = missing.map(
    ({ port, service }): Step => ({
      kind: 'run',
      id: 'firewalld',
      title: `Allow ${service} (port ${port}) in firewalld`,
      argv: ['firewall-cmd', '--permanent', `--add-service=${service}`],
      live: true,
    }),
  );
  if (steps.length > 0) {
    steps.push({
      kind: 'run',
      title: 'Reload firewalld',
      argv: ['firewall-cmd', '--reload'],
      live: true,
      when: { changed: ['firewalld'] },
    });
  }
  return { steps, notes: [] };
}

/** Ports 22, 80 and 443 opened in the firewall that is installed; without one, only a note. */
export function firewallPlan(facts: FirewallFacts): FirewallPlan {
  switch (facts.kind) {
    case 'ufw':
      return ufwPlan(facts);
    case 'firewalld':
      return firewalldPlan(facts);
    case 'none':
      return {
        steps: [],
        notes: [
          'no firewall (ufw or firewalld) is installed: nothing to open; if the provider filters traffic, allow TCP 22, 80 and 443 there',
        ],
      };
  }
}
