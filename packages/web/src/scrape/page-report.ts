import type { Location, PageReadPath, SchedulePage } from '../domain/model.ts';

/** What `usage` says of one cinema's schedule page: how it was last read, and why. */
export interface PageLine {
  city: string;
  cinema: string;
  url: string;
  path: PageReadPath;
  readAt: string;
  reason: string;
  flagged?: string;
}

/** Failures and flags first, so what needs an operator leads; then by city and cinema. */
const ORDER: Record<PageReadPath, number> = { failed: 0, model: 1, text: 2, structured: 3, unchanged: 4 };

export function pageLines(cities: readonly { location: Location; pages: readonly SchedulePage[] }[]): PageLine[] {
  const lines = cities.flatMap(({ location, pages }) => {
    const names = new Map(location.theaters.map((theater) => [theater.key, theater.name]));
    return pages.map((page) => ({
      city: location.slug,
      cinema: names.get(page.theaterKey) ?? page.theaterKey,
      url: page.url,
      path: page.path,
      readAt: page.readAt,
      reason: page.reason,
      ...(page.flagged ? { flagged: page.flagged } : {}),
    }));
  });
  return lines.sort(
    (a, b) =>
      Number(Boolean(b.flagged)) - Number(Boolean(a.flagged)) ||
      ORDER[a.path] - ORDER[b.path] ||
      a.city.localeCompare(b.city) ||
      a.cinema.localeCompare(b.cinema),
  );
}

/** One line per cinema: city, cinema, path, when, and why in words. */
export function pagesTable(lines: readonly PageLine[]): string {
  if (lines.length === 0) return 'No cinema schedule page has been read by the site yet.';
  const rows = lines.map((line) => [
    line.city,
    line.cinema,
    line.flagged ? `${line.path} (FLAGGED)` : line.path,
    line.readAt.slice(0, 16).replace('T', ' '),
    `${line.url}: ${line.reason}`,
  ]);
  const header = ['city', 'cinema', 'read as', 'last read (UTC)', 'page and why'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const format = (row: string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)].join('\n');
}
