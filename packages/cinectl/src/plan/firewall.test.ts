import { describe, expect, it } from 'vitest';
import { planLines } from '../../test/support/plan-text.ts';
import { firewallPlan } from './firewall.ts';

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
