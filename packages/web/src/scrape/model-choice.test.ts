import { describe, expect, it } from 'vitest';
import { chooseModel } from './model-choice.ts';

const listed = { ids: ['gemini-3.5-flash', 'gemini-3.8-flash', 'gemini-3.5-flash-lite', 'gemini-3.1-pro-preview'] };

describe('chooseModel', () => {
  it('resolves a family to its newest stable listed model and says so in one line', () => {
    expect(chooseModel('flash', listed)).toMatchObject({
      ok: true,
      model: { id: 'gemini-3.8-flash', searchWithSchema: true },
      line: 'flash → gemini-3.8-flash',
      fromFallback: false,
    });
    expect(chooseModel('flash-lite', listed)).toMatchObject({ ok: true, model: { id: 'gemini-3.5-flash-lite' } });
  });

  it('takes a listed preview id named in full, never for a family', () => {
    expect(chooseModel('gemini-3.1-pro-preview', listed)).toMatchObject({
      ok: true,
      model: { id: 'gemini-3.1-pro-preview' },
    });
    const pro = chooseModel('pro', listed);
    expect(pro.ok).toBe(false);
    expect(pro.line).toBe(
      'GEMINI_MODEL=pro: the Gemini API offers no stable pro model (it offers gemini-3.8-flash, gemini-3.5-flash-lite, gemini-3.5-flash, gemini-3.1-pro-preview); set GEMINI_MODEL to one of those ids in full.',
    );
  });

  it('refuses a retired or unknown id with what was asked, what exists and what to set', () => {
    const retired = chooseModel('gemini-2.5-flash', listed);
    expect(retired.ok).toBe(false);
    expect(retired.line).toMatch(
      /^GEMINI_MODEL=gemini-2\.5-flash: the Gemini API does not offer this model \(retired on 2026-10-16\); it offers gemini-3\.8-flash, .*; set GEMINI_MODEL to flash, flash-lite, pro or one of those ids\.$/,
    );
    expect(chooseModel('gemini-4-ultra', listed).line).toMatch(/^GEMINI_MODEL=gemini-4-ultra: .* does not offer/);
  });

  it('uses the fallback table, naming its source and date, when the list cannot be read', () => {
    const choice = chooseModel('flash', { unreadable: 'HTTP 503' });
    expect(choice).toMatchObject({ ok: true, model: { id: 'gemini-3.8-flash' }, fromFallback: true });
    expect(choice.line).toMatch(
      /^flash → gemini-3\.8-flash \(the Gemini model list could not be read: HTTP 503; using the table from ai\.google\.dev\/gemini-api\/docs\/pricing .* 2026-10-07\)$/,
    );
    expect(chooseModel('gemini-2.5-pro', { unreadable: 'offline' })).toMatchObject({ ok: false });
  });
});
