import { describe, expect, it } from 'vitest';
import { canonicalPath } from './canonical.ts';

describe('canonicalPath', () => {
  it.each([
    ['/uk/city/kyiv/', '/uk/city/kyiv'],
    ['/uk/city/Kyiv', '/uk/city/kyiv'],
    ['/EN/City/LVIV/', '/en/city/lviv'],
    ['/ru/city/kiev', '/ru/city/kyiv'],
    ['/kiev', '/city/kyiv'],
    ['/Kiev/', '/city/kyiv'],
    ['/en/odessa', '/en/city/odesa'],
    ['/city/Kharkov', '/city/kharkiv'],
    ['/UK/', '/uk/'],
    ['/Ru', '/ru/'],
    ['/uk', '/uk/'],
  ])('%s → %s', (path, expected) => {
    expect(canonicalPath(path)).toBe(expected);
  });

  it.each([
    '/',
    '/uk/',
    '/uk/city/kyiv',
    '/city/kyiv',
    '/api/cities/kyiv/showtimes',
    '/static/style.css',
    '/healthz',
    '/robots.txt',
    '/uk/city/atlantis',
    '/uk/city/kyiv/extra',
    '/uk/cinema/Some-Key',
    '/lang/en',
    '/de/',
    '/en/city/%E0%A4%A',
  ])('leaves %s alone', (path) => {
    expect(canonicalPath(path)).toBeUndefined();
  });
});
