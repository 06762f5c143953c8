import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from './node-version.ts';

describe('the target Node.js version', () => {
  it('is 22.13 or newer', () => {
    expect(nodeVersionProblem('v22.13.0\n')).toBeUndefined();
    expect(nodeVersionProblem('v24.1.0')).toBeUndefined();
    expect(nodeVersionProblem('v22.12.1')).toBe('it is v22.12.1, and the site needs 22.13 or newer');
    expect(nodeVersionProblem('v20.18.0')).toMatch(/needs 22\.13/);
    expect(nodeVersionProblem('bash: node')).toMatch(/instead of a version/);
  });
});
