import { describe, expect, it } from 'vitest';
import type { Movie } from '../domain/model.ts';
import { cinemaJsonLd, cityJsonLd, filmJsonLd, type JsonLdPlace } from './jsonld.ts';
import { scriptJson } from './seo.ts';

/**
 * The properties each node must carry. schema.org itself requires none; these are the ones search engines
 * read, from Google Search Central's structured data guides (developers.google.com/search/docs/appearance/
 * structured-data): Event (required: name, startDate, location, location.address; recommended: endDate,
 * eventStatus, eventAttendanceMode, image, offers), Movie (required: name, image when a poster is known), and
 * LocalBusiness, which MovieTheater is (required: name, address). Events may name their film and cinema by
 * `@id` (JSON-LD 1.1 node references), resolved here as a crawler resolves them.
 */
const REQUIRED: Record<string, string[]> = {
  ScreeningEvent: ['name', 'startDate', 'location', 'workPresented', 'eventStatus', 'eventAttendanceMode'],
  Movie: ['name'],
  MovieTheater: ['name', 'address'],
  PostalAddress: ['addressLocality', 'addressCountry'],
};

type Node = Record<string, unknown> & { '@type': string };

function nodes(document: { '@context': string; '@graph': object[] }): Node[] {
  expect(document['@context']).toBe('https://schema.org');
  return document['@graph'] as Node[];
}

/** Every node has its required properties and every `@id` reference points at a node of the graph. */
function checkGraph(graph: Node[]) {
  const byId = new Map(graph.filter((node) => node['@id']).map((node) => [node['@id'] as string, node]));
  const resolve = (value: unknown) => {
    const ref = value as { '@id'?: string; '@type'?: string };
    if (ref['@type']) return ref as Node;
    const node = byId.get(ref['@id'] ?? '');
    expect(node, `reference ${ref['@id']}`).toBeDefined();
    return node as Node;
  };
  for (const node of graph) {
    for (const property of REQUIRED[node['@type']] ?? ['unknown type']) {
      expect(node[property], `${node['@type']}.${property}`).toBeTruthy();
    }
    if (node['@type'] === 'ScreeningEvent') {
      expect(resolve(node.location)['@type']).toBe('MovieTheater');
      expect(resolve(node.workPresented)['@type']).toBe('Movie');
      expect(Date.parse(String(node.startDate))).not.toBeNaN();
    }
    if (node['@type'] === 'MovieTheater') {
      const address = node.address as Node;
      for (const property of REQUIRED.PostalAddress ?? []) expect(address[property]).toBeTruthy();
    }
  }
}

const place: JsonLdPlace = {
  lang: 'en',
  siteUrl: 'https://cinestream.example',
  location: {
    slug: 'kyiv',
    names: { uk: 'Київ', en: 'Kyiv', ru: 'Киев' },
    theaters: [
      {
        key: 'zhovten',
        name: 'Жовтень',
        names: { en: 'Zhovten' },
        address: 'вул. Костянтинівська, 26',
        url: 'https://zhovten.example/',
      },
    ],
  },
};

const movie = (key: string, startsAt: string[], extra: Partial<Movie> = {}): Movie => ({
  key,
  city: 'kyiv',
  titles: { en: `Film ${key}`, original: `Original ${key}` },
  genres: ['drama'],
  durationMin: 125,
  posterUrl: `https://img.example/${key}.jpg`,
  theaters: [
    {
      theaterKey: 'zhovten',
      name: 'Жовтень',
      showtimes: startsAt.map((start) => ({ startsAt: start, format: '2D', bookingUrl: 'https://book.example/1' })),
    },
    { theaterKey: 'kinopalats', name: 'Кінопалац', showtimes: [{ startsAt: startsAt[0] ?? '', format: 'IMAX' }] },
  ],
  days: ['2026-11-24'],
  updatedAt: '2026-11-24T08:00:00Z',
  expiresAt: '2027-02-22T08:00:00Z',
  ...extra,
});

const movies = [
  movie('a', ['2026-11-24T18:00:00+02:00', '2026-11-24T21:30:00+02:00']),
  movie('b', ['2026-11-24T23:10:00+02:00'], { durationMin: undefined, posterUrl: undefined }),
];

describe('JSON-LD', () => {
  it('describes a city day: each cinema and film once, an event per showing, ending after the running time', () => {
    const graph = nodes(cityJsonLd(place, movies));
    checkGraph(graph);
    expect(graph.filter((node) => node['@type'] === 'MovieTheater').map((node) => node.name)).toEqual([
      'Zhovten',
      'Кінопалац',
    ]);
    expect(graph.filter((node) => node['@type'] === 'Movie')).toHaveLength(2);
    const events = graph.filter((node) => node['@type'] === 'ScreeningEvent');
    expect(events).toHaveLength(5);
    expect(events[0]).toMatchObject({
      name: 'Film a',
      startDate: '2026-11-24T18:00:00+02:00',
      endDate: '2026-11-24T20:05:00+02:00',
      videoFormat: '2D',
      offers: { '@type': 'Offer', url: 'https://book.example/1' },
    });
    expect(events.at(-1)).not.toHaveProperty('endDate');
    const zhovten = graph.find((node) => node.name === 'Zhovten');
    expect(zhovten).toMatchObject({
      address: { streetAddress: 'вул. Костянтинівська, 26', addressLocality: 'Kyiv' },
      sameAs: 'https://zhovten.example/',
    });
  });

  it('leaves out the showings a page does not list, and films left with none', () => {
    const graph = nodes(
      cityJsonLd(place, movies, { keep: (showtime) => showtime.startsAt >= '2026-11-24T22:00:00+02:00' }),
    );
    checkGraph(graph);
    expect(graph.filter((node) => node['@type'] === 'ScreeningEvent')).toHaveLength(2);
    expect(graph.filter((node) => node['@type'] === 'Movie').map((node) => node.name)).toEqual(['Film b']);
  });

  it('keeps the soonest showings when a limit is set, and only the films and cinemas they name', () => {
    const graph = nodes(cityJsonLd(place, movies, { limit: 2 }));
    checkGraph(graph);
    const events = graph.filter((node) => node['@type'] === 'ScreeningEvent');
    expect(events.map((event) => event.startDate)).toEqual(['2026-11-24T18:00:00+02:00', '2026-11-24T18:00:00+02:00']);
    expect(graph.filter((node) => node['@type'] === 'Movie').map((node) => node.name)).toEqual(['Film a']);
  });

  it("builds a cinema's and a film's page, each with its own node and URL first", () => {
    const cinema = nodes(cinemaJsonLd(place, 'zhovten', movies, 'https://cinestream.example/en/cinema/zhovten'));
    checkGraph(cinema);
    expect(cinema[0]).toMatchObject({ '@type': 'MovieTheater', url: 'https://cinestream.example/en/cinema/zhovten' });
    expect(cinema.filter((node) => node['@type'] === 'ScreeningEvent')).toHaveLength(3);
    const [first] = movies;
    const film = nodes(filmJsonLd(place, first as Movie, 'https://cinestream.example/en/film/a'));
    checkGraph(film);
    expect(film[0]).toMatchObject({ '@type': 'Movie', duration: 'PT125M', image: 'https://img.example/a.jpg' });
    expect(film.filter((node) => node['@type'] === 'ScreeningEvent')).toHaveLength(3);
  });

  it("describes a film by its synopsis on the film's page, in the page's language or another, never on a city page", () => {
    const synopsis = { uk: 'Пілот повертається додому.', en: 'A pilot comes home.' };
    const film = movie('c', ['2026-11-24T18:00:00+02:00'], { synopsis });
    const url = 'https://cinestream.example/en/film/c';
    expect(nodes(filmJsonLd(place, film, url))[0]).toMatchObject({ description: 'A pilot comes home.' });
    expect(nodes(filmJsonLd({ ...place, lang: 'ru' }, film, url))[0]).toMatchObject({
      description: 'Пілот повертається додому.',
    });
    expect(nodes(filmJsonLd(place, movie('d', ['2026-11-24T18:00:00+02:00']), url))[0]).not.toHaveProperty(
      'description',
    );
    expect(nodes(cityJsonLd(place, [film])).find((node) => node['@type'] === 'Movie')).not.toHaveProperty(
      'description',
    );
  });

  it('cannot close its script element', () => {
    expect(scriptJson({ name: '</script><script>alert(1)</script>' })).not.toContain('<');
  });
});
