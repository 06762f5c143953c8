import { describe, expect, it } from 'vitest';
import { hasHttp2Directive } from './nginx-facts.ts';

describe('hasHttp2Directive', () => {
  it('is true from nginx 1.25.1 on, where `listen … http2` is deprecated', () => {
    expect(hasHttp2Directive('nginx version: nginx/1.25.1\n')).toBe(true);
    expect(hasHttp2Directive('nginx version: nginx/1.28.0\n')).toBe(true);
    expect(hasHttp2Directive('nginx version: nginx/2.0.0\n')).toBe(true);
  });

  it('is false before 1.25.1, which knows only `listen … http2`', () => {
    expect(hasHttp2Directive('nginx version: nginx/1.22.1\n')).toBe(false);
    expect(hasHttp2Directive('nginx version: nginx/1.25.0\n')).toBe(false);
    expect(hasHttp2Directive('nginx version: nginx/1.9.15\n')).toBe(false);
  });

  it('assumes a current nginx when it cannot be asked', () => {
    expect(hasHttp2Directive(null)).toBe(true);
    expect(hasHttp2Directive('sh: nginx: not found')).toBe(true);
  });
});
