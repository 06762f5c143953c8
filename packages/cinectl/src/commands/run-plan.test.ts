import { describe, expect, it } from 'vitest';
import { testContext } from '../../test/support/context.ts';
import { recordingIO } from '../../test/support/io.ts';
import { UsageError } from '../errors.ts';
import type { Plan } from '../plan/types.ts';
import { applyPlan } from './run-plan.ts';

/** A plan that only reads: safe to hand to the real host if the guard ever let it through. */
const harmless: Plan = {
  title: 'Look around',
  steps: [{ kind: 'check', title: 'Check /', what: 'no root', probe: { kind: 'path-exists', path: '/' } }],
};

describe('applyPlan', () => {
  it('refuses to change this host without root privileges, but still shows a dry run', async () => {
    const io = { ...recordingIO(), isSuperuser: () => false };
    const error = await applyPlan(testContext({ root: '/' }, { io }), harmless).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('Look around changes this host and needs root');
    expect((error as UsageError).hint).toMatch(/sudo/);

    const dry = testContext({ root: '/', dryRun: true }, { io });
    await applyPlan(dry, harmless);
    expect(dry.out).toEqual([
      'Look around: dry run, nothing is changed',
      '[1] Check /',
      '    check that / exists',
      'dry run: 0 to change, 1 unchanged; nothing was changed',
    ]);
  });
});
