import { describe, expect, it } from 'vitest';
import { editSiteEnv, envEntries, parseAssignments, parseUnsetKeys, shownValue } from './site-env.ts';

describe('site.env editing', () => {
  const text = '# my settings\nGEMINI_MODEL=flash\nDONATE_URL=https://example.com/d\n';

  it('changes a key in place, appends new ones, removes unset ones, keeps comments', () => {
    expect(
      editSiteEnv(text, {
        set: [
          { key: 'GEMINI_MODEL', value: 'pro' },
          { key: 'LOG_LEVEL', value: 'debug' },
        ],
      }),
    ).toBe('# my settings\nGEMINI_MODEL=pro\nDONATE_URL=https://example.com/d\nLOG_LEVEL=debug\n');
    expect(editSiteEnv(text, { unset: ['DONATE_URL'] })).toBe('# my settings\nGEMINI_MODEL=flash\n');
    expect(editSiteEnv('', { set: [{ key: 'A', value: '1' }] })).toBe('A=1\n');
    expect(editSiteEnv('A=1\n', { unset: ['A'] })).toBe('');
  });

  it('refuses names that are not variables, variables cinectl sets, values on several lines', () => {
    expect(() => parseAssignments(['lower=1'], 'films')).toThrow(/"lower" is not a variable name/);
    expect(() => parseAssignments(['SECRET_KEY=x'], 'films')).toThrow(/SECRET_KEY is set by cinectl in \.env/);
    expect(() => parseAssignments(['=x'], 'films')).toThrow(/is not KEY=VALUE/);
    expect(() => parseAssignments(['NOVALUE'], 'films')).toThrow(/"NOVALUE" is not KEY=VALUE/);
    expect(() => parseAssignments(['A=x\ny'], 'films')).toThrow(/must be one line/);
    expect(() => parseAssignments([], 'films')).toThrow(/at least one KEY=VALUE/);
    expect(() => parseUnsetKeys(['PORT'], 'films')).toThrow(/PORT is set by cinectl/);
    expect(parseAssignments(['DONATE_URL=https://x.example/?a=b'], 'films')).toEqual([
      { key: 'DONATE_URL', value: 'https://x.example/?a=b' },
    ]);
  });

  it('shows secrets redacted unless revealed', () => {
    const [model, key, uri] = envEntries('GEMINI_MODEL=flash\nGEMINI_API_KEY=abc\nX=mongodb://u:pw@h/db\n');
    expect([model, key, uri].map((entry) => entry && shownValue(entry, false))).toEqual([
      'flash',
      '[REDACTED]',
      'mongodb://u:[REDACTED]@h/db',
    ]);
    expect(key && shownValue(key, true)).toBe('abc');
  });
});
