import { describe, expect, it } from 'vitest';
import type { Location, SchedulePage } from '../domain/model.ts';
import { pageLines, pagesTable } from './page-report.ts';

const kyiv = {
  slug: 'kyiv',
  theaters: [
    { key: 'oskar', name: 'Оскар' },
    { key: 'zhovten', name: 'Жовтень' },
    { key: 'lavina', name: 'Мультиплекс Лавина' },
  ],
} as unknown as Location;
const page = (theaterKey: string, path: SchedulePage['path'], reason: string, flagged?: string): SchedulePage => ({
  theaterKey,
  url: `https://${theaterKey}.example/schedule`,
  readAt: '2026-12-02T08:15:00.000Z',
  path,
  reason,
  showtimes: {},
  ...(flagged ? { flagged } : {}),
});

describe('the schedule pages an operator sees in `usage`', () => {
  const lines = pageLines([
    {
      location: kyiv,
      pages: [
        page('lavina', 'structured', 'schema.org ScreeningEvent data: 120 showings'),
        page('zhovten', 'model', 'the page held 3 showtimes …; left to the model', 'the page held 3 showtimes'),
        page('oskar', 'failed', 'robots.txt of https://oskar.example disallows /schedule for CineStream'),
        page('gone', 'unchanged', 'the server answered 304 Not Modified'),
      ],
    },
  ]);

  it('puts what needs an operator first: flagged pages, then failures, then the rest by how they were read', () => {
    expect(lines.map((line) => [line.cinema, line.path])).toEqual([
      ['Жовтень', 'model'],
      ['Оскар', 'failed'],
      ['Мультиплекс Лавина', 'structured'],
      ['gone', 'unchanged'],
    ]);
  });

  it('prints one line per cinema with its page and the reason in words', () => {
    const table = pagesTable(lines).split('\n');
    expect(table[0]).toMatch(/^city\s+cinema\s+read as\s+last read \(UTC\)\s+page and why$/);
    expect(table[1]).toMatch(
      /^kyiv\s+Жовтень\s+model \(FLAGGED\)\s+2026-12-02 08:15\s+https:\/\/zhovten\.example\/schedule: the page held/,
    );
    expect(table[2]).toContain(
      'https://oskar.example/schedule: robots.txt of https://oskar.example disallows /schedule',
    );
    expect(pagesTable([])).toBe('No cinema schedule page has been read by the site yet.');
  });
});
