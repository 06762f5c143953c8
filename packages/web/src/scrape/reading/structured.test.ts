import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { structuredSchedule } from './structured.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/cinema-sites/${name}`, import.meta.url), 'utf8');
const KYIV = 'Europe/Kyiv';

describe('structuredSchedule: schema.org ScreeningEvents as showings', () => {
  const chain = structuredSchedule(fixture('chain-jsonld.html'), 'https://multiplex.example/kyiv/schedule', KYIV);

  it('reads every JSON-LD block on its own, through @graph, arrays and ItemList items, skipping a broken block', () => {
    expect(chain.showings.map(({ film, date, time }) => `${date} ${time} ${film}`)).toEqual([
      '2026-12-03 19:30 Дюна: Частина друга',
      '2026-12-03 23:00 Дюна: Частина друга',
      '2026-12-04 12:15 Лісова пісня',
      '2026-12-04 18:40 Аватар: Вогонь і попіл',
    ]);
  });

  it('turns starts given with an offset into the city’s wall clock, and keeps starts given without one', () => {
    // 21:00Z is 23:00 in Kyiv in December; "2026-12-04T12:15" has no offset and is taken as written.
    expect(chain.showings[1]).toMatchObject({ date: '2026-12-03', time: '23:00' });
    expect(
      structuredSchedule(fixture('chain-jsonld.html'), 'https://m.example/', 'America/New_York').showings[0],
    ).toMatchObject({
      date: '2026-12-03',
      time: '12:30',
    });
  });

  it('takes format, audio, subtitles and booking links, absolute, dropping links that are not http(s)', () => {
    expect(chain.showings[0]).toEqual({
      film: 'Дюна: Частина друга',
      theater: 'Мультиплекс Лавина',
      date: '2026-12-03',
      time: '19:30',
      format: 'IMAX',
      language: 'uk',
      subtitles: null,
      bookingUrl: 'https://multiplex.example/tickets/1001',
    });
    expect(chain.showings[1]).toMatchObject({
      language: 'en',
      subtitles: 'uk',
      bookingUrl: 'https://multiplex.example/tickets/1002',
    });
    expect(chain.showings[2]?.bookingUrl).toBeNull();
  });

  it('names every cinema of a chain page, and describes the films it can', () => {
    expect(chain.theaters).toEqual(['Мультиплекс Лавина', 'Мультиплекс Проспект']);
    expect(chain.films[0]).toEqual({
      title: 'Дюна: Частина друга',
      originalTitle: 'Dune: Part Two',
      posterUrl: 'https://multiplex.example/posters/dune2.jpg',
      durationMin: 166,
      genres: ['фантастика', 'пригоди'],
      ageRating: '12+',
    });
    expect(chain.films.map((film) => film.title)).toEqual(['Дюна: Частина друга', 'Лісова пісня']);
  });

  it('reads microdata the same way', () => {
    const retro = structuredSchedule(fixture('microdata.html'), 'https://retro.example/sessions', KYIV);
    expect(retro.showings).toEqual([
      {
        film: 'Тіні забутих предків',
        theater: 'Кінотеатр Ретро',
        date: '2026-12-03',
        time: '18:00',
        format: '2D',
        language: null,
        subtitles: null,
        bookingUrl: 'https://retro.example/buy/77',
      },
      expect.objectContaining({
        date: '2026-12-04',
        time: '20:30',
        theater: null,
        bookingUrl: 'https://retro.example/buy/78',
      }),
    ]);
    expect(retro.films).toEqual([{ title: 'Тіні забутих предків', durationMin: 97, ageRating: '16+' }]);
  });

  it('finds nothing on a page without schema.org events, and survives hostile nesting', () => {
    expect(structuredSchedule(fixture('script-rendered.html'), 'https://oscar.example/', KYIV).showings).toEqual([]);
    const event = JSON.stringify({ '@type': 'ScreeningEvent', startDate: '2026-12-03T10:00', workPresented: 'Deep' });
    const deep = `${'{"a":['.repeat(5_000)}${event}${']}'.repeat(5_000)}`;
    const html = `<script type="application/ld+json">${deep}</script>`;
    expect(structuredSchedule(html, 'https://x.example/', KYIV).showings).toEqual([]);
  });
});
