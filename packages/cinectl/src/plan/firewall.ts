import type { Step } from './types.ts';

/** What a server needs open: SSH to manage it, HTTP and HTTPS for visitors. */
export const OPEN_PORTS = [
  { port: 22, service: 'ssh' },
  { port: 80, service: 'http' },
  { port: 443, service: 'https' },
] as const;

export type FirewallFacts =
  | { kind: 'none' }
  /** `rules`: what the rules `ufw show added` lists let in from anywhere (ufwAllowed), e.g. "22/tcp", "80", "OpenSSH". */
  | { kind: 'ufw'; active: boolean; rules: string[] }
  /** `services` and `ports` of the permanent configuration of the default zone. */
  | { kind: 'firewalld'; running: boolean; services: string[]; ports: string[] };

export interface FirewallPlan {
  steps: Step[];
  notes: string[];
}

/** ufw application profiles (openssh's, nginx's and ufw's own) that open the port to TCP. */
const UFW_PROFILES: Record<number, string[]> = {
  22: ['OpenSSH', 'SSH'],
  80: ['Nginx HTTP', 'Nginx Full', 'WWW', 'WWW Full'],
  443: ['Nginx HTTPS', 'Nginx Full', 'WWW Secure', 'WWW Full'],
};

const UFW_WORD = /'([^']*)'|"([^"]*)"|(\S+)/g;
const UFW_COMMENT = /\s+comment\s+('[^']*'|"[^"]*"|\S+)\s*$/;

/** "80,443/tcp" → ["80/tcp", "443/tcp"]; a profile or service name stays as it is. */
function ufwPorts(spec: string, proto?: string): string[] {
  const match = /^([\d,]+)(?:\/(\w+))?$/.exec(spec);
  if (!match?.[1]) return [spec];
  const protocol = proto ?? match[2];
  return match[1]
    .split(',')
    .filter(Boolean)
    .map((port) => (protocol ? `${port}/${protocol}` : port));
}

/**
 * What one line of `ufw show added` lets in from anywhere: `ufw allow 80/tcp comment 'web'` → ["80/tcp"],
 * `ufw allow in 22` → ["22"], `ufw allow 'Nginx Full'` → ["Nginx Full"], `ufw allow proto tcp from any to any port
 * 443` → ["443/tcp"]. Outgoing, routed and denying rules, and rules for some sources only, let in nothing.
 */
export function ufwAllowed(line: string): string[] {
  const words = [...line.trim().replace(UFW_COMMENT, '').matchAll(UFW_WORD)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? '',
  );
  if (words[0] !== 'ufw' || (words[1] !== 'allow' && words[1] !== 'limit')) return [];
  let at = 2;
  if (words[at] === 'out') return [];
  if (words[at] === 'in') at++;
  if (words[at] === 'on') at += 2;
  if (words[at] === 'log' || words[at] === 'log-all') at++;
  const rest = words.slice(at);
  if (rest.length === 1 && rest[0]) return ufwPorts(rest[0]);
  const options = new Map<string, string>();
  for (let index = 0; index + 1 < rest.length; index += 2) options.set(rest[index] ?? '', rest[index + 1] ?? '');
  const from = options.get('from') ?? 'any';
  if (rest.length % 2 !== 0 || !['any', '0.0.0.0/0', '::/0'].includes(from)) return [];
  const app = options.get('app');
  if (app) return [app];
  const port = options.get('port');
  return port ? ufwPorts(port, options.get('proto')) : [];
}

function ufwAllows(rules: readonly string[], port: number, service: string): boolean {
  const names = [`${port}`, `${port}/tcp`, service, ...(UFW_PROFILES[port] ?? [])];
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
