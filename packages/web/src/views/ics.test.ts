import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, json, startTestApp, type TestApp } from '../../test/support/app.ts';
import { showingCalendarPath, showingIcs } from './ics.ts';

const showing = {
  uid: 'kyiv/film-a/zhovten/2026-11-24T19:30@cinestream.example',
  stamp: new Date('2026-11-24T08:00:00Z'),
  startsAt: '2026-11-24T19:30:00+02:00',
  durationMin: 125,
  summary: 'Достопримечательности: дуже довга назва фільму, що не вміщується в один рядок календаря',
  location: 'Жовтень, вул. Костянтинівська, 26, Київ',
  url: 'https://cinestream.example/uk/city/kyiv?date=2026-11-24',
  description: 'IMAX\nукраїнською\nhttps://book.example/1',
};

function parse(text: string) {
  const component = new ICAL.Component(ICAL.parse(text));
  const event = new ICAL.Event(component.getFirstSubcomponent('vevent') ?? undefined);
  return { component, event, vevent: component.getFirstSubcomponent('vevent') };
}

describe('showingIcs', () => {
  it('writes an RFC 5545 event that ical.js reads back with every field', () => {
    const text = showingIcs(showing);
    const { component, event, vevent } = parse(text);
    expect(component.getFirstPropertyValue('version')).toBe('2.0');
    expect(component.getFirstPropertyValue('prodid')).toBeTruthy();
    expect(component.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(event.uid).toBe(showing.uid);
    expect(event.summary).toBe(showing.summary);
    expect(event.location).toBe(showing.location);
    expect(event.description).toBe(showing.description);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-11-24T17:30:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-11-24T19:35:00.000Z');
    expect(vevent?.getFirstPropertyValue('url')).toBe(showing.url);
    expect(vevent?.getFirstPropertyValue('dtstamp')?.toString()).toBe('2026-11-24T08:00:00Z');
  });

  it('ends every line with CRLF and folds lines longer than 75 octets', () => {
    const text = showingIcs(showing);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const lines = text.split('\r\n').slice(0, -1);
    for (const line of lines) {
      expect(line).not.toContain('\n');
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    }
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
  });

  it('leaves DTEND out when the running time is not known', () => {
    const text = showingIcs({ ...showing, durationMin: undefined });
    expect(text).not.toContain('DTEND');
    expect(parse(text).event.startDate.toJSDate().toISOString()).toBe('2026-11-24T17:30:00.000Z');
  });
});

describe('GET /:lang/city/:slug/showing.ics', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: new Date('2026-11-24T10:00:00Z') });
  });
  afterAll(() => app.close());

  it('answers a listed showing with a calendar file, and names bad or unknown showings plainly', async () => {
    const api = await json(await get(`${app.url}/api/cities/kyiv/showtimes?from=2026-11-25&to=2026-11-25`));
    const movie = api.movies[0];
    const theater = movie.theaters[0];
    const start: string = theater.showtimes[0].startsAt;
    const path = showingCalendarPath('en', 'kyiv', movie.key, theater.theaterKey, start);
    const response = await get(`${app.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="showing-2026-11-25T\d{4}\.ics"$/,
    );
    const { event } = parse(await response.text());
    expect(event.startDate.toJSDate().getTime()).toBe(Date.parse(start));
    expect(event.summary).toBe(movie.titles.en ?? movie.titles.original ?? movie.titles.uk);
    expect(event.location).toContain('Kyiv');

    const missing = await get(`${app.url}${path.replace(/at=[^&]+/, 'at=2026-11-25T03%3A17')}`);
    expect(missing.status).toBe(404);
    for (const query of ['film=a&cinema=b', 'film=a&cinema=b&at=tomorrow', 'film=<x>&cinema=b&at=2026-11-25T19:30']) {
      const bad = await get(`${app.url}/en/city/kyiv/showing.ics?${query}`);
      expect([query, bad.status]).toEqual([query, 400]);
      expect(await bad.text()).toContain('The page address is malformed.');
    }
  });

  it("links every showing still to come on a film's page to its calendar file, and none that started", async () => {
    const api = await json(await get(`${app.url}/api/cities/kyiv/showtimes?from=2026-11-24&to=2026-11-24`));
    const movie = api.movies[0];
    const page = await (await get(`${app.url}/en/city/kyiv/film/${movie.key}`)).text();
    const hrefOf = (href: string) => href.replaceAll('&amp;', '&').replaceAll('&#x3D;', '=');
    const links = [...page.matchAll(/<a class="calendar" href="([^"]+)"/g)].map((match) => hrefOf(match[1] ?? ''));
    const starts = movie.theaters.flatMap((theater: { showtimes: { startsAt: string }[] }) =>
      theater.showtimes.map((showtime) => showtime.startsAt),
    );
    expect(starts.some((start: string) => Date.parse(start) < Date.parse('2026-11-24T10:00:00Z'))).toBe(true);
    for (const link of links) {
      const at = new URL(link, app.url).searchParams.get('at') ?? '';
      expect(Date.parse(`${at}:00+02:00`)).toBeGreaterThan(Date.parse('2026-11-24T10:00:00Z'));
    }
    expect(links.length).toBeGreaterThan(0);
    const calendar = await get(`${app.url}${links[0] ?? ''}`);
    expect(calendar.status).toBe(200);
    expect(parse(await calendar.text()).event.summary).toBe(
      movie.titles.en ?? movie.titles.original ?? movie.titles.uk,
    );
  });
});
