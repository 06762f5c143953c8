import { displayArgv, formatCommand } from '../../src/host/root.ts';
import type { Plan, Step } from '../../src/plan/types.ts';

const octal = (mode: number) => `0${mode.toString(8)}`;
const when = (step: Step) => (step.when ? ` [when ${step.when.changed.join('|')}]` : '');

/** One line per step, the way the tests compare plans: what it acts on, exactly, without file bodies. */
export function stepLine(step: Step, root = '/'): string {
  switch (step.kind) {
    case 'run': {
      const cwd = step.cwd === undefined ? '' : ` (in ${typeof step.cwd === 'string' ? step.cwd : step.cwd.hostPath})`;
      return `run ${formatCommand(displayArgv(step.argv, root))}${cwd}${step.live ? ' [live]' : ''}${when(step)}`;
    }
    case 'write':
      return `write ${step.path} ${octal(step.mode)} ${step.owner.user}:${step.owner.group}`;
    case 'mkdir':
      return `mkdir ${step.path} ${octal(step.mode)} ${step.owner.user}:${step.owner.group}`;
    case 'remove':
      return `remove ${step.path}${step.recursive ? ' -r' : ''}${step.onThisMachine ? ' [this machine]' : ''}`;
    case 'symlink':
      return `symlink ${step.path} -> ${step.target}`;
    case 'move':
      return `move ${step.from} -> ${step.to}`;
    case 'user':
      return `user ${step.name} ${step.ensure}`;
    case 'service':
      return `service ${step.action} ${step.unit}`;
    case 'check':
      return `check ${step.probe.kind} ${JSON.stringify(step.probe)}`;
    case 'nginx':
      return `nginx ${step.confPath} + ${[...step.files.keys()].join(' ')}`;
    case 'rolling-restart':
      return `rolling-restart ${step.instances.map((i) => i.port).join(',')} ${step.link.target} (back to ${step.link.previous})${when(step)}`;
  }
}

export function planLines(plan: Plan, root = '/'): string[] {
  return plan.steps.map((step) => stepLine(step, root));
}

export function stepAt<K extends Step['kind']>(
  plan: Plan,
  kind: K,
  title: RegExp | string,
): Extract<Step, { kind: K }> {
  const found = plan.steps.find(
    (step) => step.kind === kind && (typeof title === 'string' ? step.title === title : title.test(step.title)),
  );
  if (!found) throw new Error(`no ${kind} step titled ${title} in: ${plan.steps.map((s) => s.title).join(' | ')}`);
  return found as Extract<Step, { kind: K }>;
}
