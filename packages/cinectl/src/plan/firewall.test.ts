import { describe, expect, it } from 'vitest';
import { planLines } from '../../test/support/plan-text.ts';
import { firewallPlan, ufwAllowed } from './firewall.ts';

const lines = (plan: ReturnType<typeof firewallPlan>) => planLines({ title: '', steps: plan.steps });

describe('firewallPlan', () => {
  it('ufw: allows what is not allowed yet, recognising ports and service names', () => {
    expect(lines(firewallPlan({ kind: 'ufw', active: true, rules: [] }))).toEqual([
      'run ufw allow 22/tcp [live]',
      'run ufw allow 80/tcp [live]',
      'run ufw allow 443/tcp [live]',
    ]);
    expect(lines(firewallPlan({ kind: 'ufw', active: true, rules: ['OpenSSH', '80', 'https'] }))).toEqual([]);
  });

  it('ufw not enabled: the rules go in, and a note says they wait for "ufw enable"', () => {
    const plan = firewallPlan({ kind: 'ufw', active: false, rules: ['22/tcp', '80/tcp', '443/tcp'] });
    expect(plan.steps).toEqual([]);
    expect(plan.notes).toEqual([expect.stringMatching(/ufw is installed but not enabled/)]);
  });

  it('firewalld running: permanent services, then one reload when something was added', () => {
    const plan = firewallPlan({ kind: 'firewalld', running: true, services: ['ssh', 'dhcpv6-client'], ports: [] });
    expect(lines(plan)).toEqual([
      'run firewall-cmd --permanent --add-service=http [live]',
      'run firewall-cmd --permanent --add-service=https [live]',
      'run firewall-cmd --reload [live] [when firewalld]',
    ]);
    const open = firewallPlan({ kind: 'firewalld', running: true, services: ['ssh', 'http'], ports: ['443/tcp'] });
    expect(open.steps).toEqual([]);
  });

  it('firewalld stopped: its offline tool, and a note', () => {
    const plan = firewallPlan({ kind: 'firewalld', running: false, services: ['ssh'], ports: [] });
    expect(lines(plan)).toEqual([
      'run firewall-offline-cmd --add-service=http [live]',
      'run firewall-offline-cmd --add-service=https [live]',
    ]);
    expect(plan.notes).toEqual([expect.stringMatching(/not running/)]);
  });

  it('no firewall: no step, a note', () => {
    const plan = firewallPlan({ kind: 'none' });
    expect(plan.steps).toEqual([]);
    expect(plan.notes).toEqual([expect.stringMatching(/allow TCP 22, 80 and 443 there/)]);
  });
});

describe('ufwAllowed: what a line of `ufw show added` lets in', () => {
  // Lines as ufw 0.36 prints them for `ufw allow 80/tcp comment web`, `ufw allow in 8080/tcp`, `ufw allow SSH`, …
  const SHOWN = `Added user rules (see 'ufw status' for running firewall):
ufw allow 22/tcp
ufw allow 80/tcp comment 'web'
ufw allow 8080/tcp
ufw allow 81,443/tcp
ufw limit 2222/tcp
ufw allow from 10.0.0.0/8 to any port 23
ufw allow in on eth0 to any port 445 proto tcp
ufw allow out 446/tcp
ufw allow log 447
ufw allow 'Nginx Full'
ufw allow SSH
ufw allow 'WWW Full' comment 'the site'
ufw deny 25
ufw route allow 8000/tcp`;

  it('reads ports, protocols and profile names wherever the rule puts them', () => {
    expect(SHOWN.split('\n').flatMap(ufwAllowed)).toEqual([
      '22/tcp',
      '80/tcp',
      '8080/tcp',
      '81/tcp',
      '443/tcp',
      '2222/tcp',
      '445/tcp',
      '447',
      'Nginx Full',
      'SSH',
      'WWW Full',
    ]);
    expect(ufwAllowed('ufw allow in 80/tcp')).toEqual(['80/tcp']);
    expect(ufwAllowed('ufw allow proto tcp from any to any port 443')).toEqual(['443/tcp']);
    expect(ufwAllowed("ufw allow to any app 'Nginx HTTPS'")).toEqual(['Nginx HTTPS']);
  });

  it('nothing is added again on a host whose rules carry comments or name profiles', () => {
    const forms = [
      ["ufw allow 22/tcp comment 'ssh'", 'ufw allow in 80/tcp', 'ufw allow 443/tcp'],
      ['ufw allow OpenSSH', "ufw allow 'Nginx Full'"],
      ['ufw allow SSH', "ufw allow 'WWW Full' comment 'the site'"],
      ['ufw limit 22/tcp', "ufw allow 'Nginx HTTP'", "ufw allow 'Nginx HTTPS'"],
    ];
    for (const lines of forms) {
      expect(firewallPlan({ kind: 'ufw', active: true, rules: lines.flatMap(ufwAllowed) }).steps).toEqual([]);
    }
  });

  it('a rule for some sources, for UDP or for going out does not open the port to visitors', () => {
    const rules = ['ufw allow from 10.0.0.0/8 to any port 22', 'ufw allow 80/udp', 'ufw allow out 443/tcp'];
    expect(lines(firewallPlan({ kind: 'ufw', active: true, rules: rules.flatMap(ufwAllowed) }))).toEqual([
      'run ufw allow 22/tcp [live]',
      'run ufw allow 80/tcp [live]',
      'run ufw allow 443/tcp [live]',
    ]);
  });
});
