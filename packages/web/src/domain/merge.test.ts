import { describe, expect, it } from 'vitest';
import { filterMovieToRange, mergeMovie } from './merge.ts';
import type { MovieInput, MovieTheater, Showtime } from './model.ts';

const NOW = new Date('2026-11-24T10:00:00.000Z');
const LATER = new Date('2026-11-25T08:00:00.000Z');

function show(startsAt: string, format = '2D', extra: Partial<Showtime> = {}): Showtime {
  return { startsAt, format, ...extra };
}

function theater(theaterKey: string, name: string, showtimes: Showtime[]): MovieTheater {
  return { theaterKey, name, showtimes };
}

function input(theaters: MovieTheater[], extra: Partial<MovieInput> = {}): MovieInput {
  return { city: 'kyiv', key: 'dune-3', titles: { uk: 'Дюна 3' }, genres: ['sci-fi'], theaters, ...extra };
}

describe('mergeMovie', () => {
  it('builds a new movie with sorted showtimes and theaters, days, updatedAt and a 90-day expiry', () => {
    const source = input([
      theater('planeta', 'Планета Кіно', [show('2026-11-25T21:00:00+02:00'), show('2026-11-24T18:00:00+02:00')]),
      theater('arthouse', 'Жовтень', [show('2026-11-24T12:00:00+02:00', 'IMAX')]),
    ]);
    const snapshot = structuredClone(source);

    const movie = mergeMovie(null, source, NOW);

    expect(movie.theaters.map((t) => t.theaterKey)).toEqual(['arthouse', 'planeta']);
    expect(movie.theaters[1]?.showtimes.map((s) => s.startsAt)).toEqual([
      '2026-11-24T18:00:00+02:00',
      '2026-11-25T21:00:00+02:00',
    ]);
    expect(movie.days).toEqual(['2026-11-24', '2026-11-25']);
    expect(movie.updatedAt).toBe('2026-11-24T10:00:00.000Z');
    expect(movie.expiresAt).toBe('2027-02-22T10:00:00.000Z');
    expect(source).toEqual(snapshot);
  });

  it('keeps one showtime when the same showtime arrives twice, filling in new details', () => {
    const first = mergeMovie(
      null,
      input([theater('planeta', 'Планета Кіно', [show('2026-11-24T18:00:00+02:00', '2D', { language: 'uk' })])]),
      NOW,
    );
    const second = mergeMovie(
      first,
      input([
        theater('planeta', 'Планета Кіно', [
          show('2026-11-24T18:00:00+02:00', '2D', { bookingUrl: 'https://planeta.example/b/1' }),
          show('2026-11-24T18:00:00+02:00', '2D'),
        ]),
      ]),
      LATER,
    );

    expect(second.theaters).toHaveLength(1);
    expect(second.theaters[0]?.showtimes).toEqual([
      {
        startsAt: '2026-11-24T18:00:00+02:00',
        format: '2D',
        language: 'uk',
        bookingUrl: 'https://planeta.example/b/1',
      },
    ]);
    expect(second.updatedAt).toBe(LATER.toISOString());
    expect(first.theaters[0]?.showtimes[0]?.bookingUrl).toBeUndefined();
  });

  it('treats the same instant written with another offset as the same showtime', () => {
    const first = mergeMovie(null, input([theater('planeta', 'Планета', [show('2026-11-24T18:00:00+02:00')])]), NOW);
    const second = mergeMovie(first, input([theater('planeta', 'Планета', [show('2026-11-24T16:00:00Z')])]), NOW);
    const third = mergeMovie(
      second,
      input([theater('planeta', 'Планета', [show('2026-11-24T18:00:00+02:00', '3D')])]),
      NOW,
    );

    expect(second.theaters[0]?.showtimes).toHaveLength(1);
    expect(third.theaters[0]?.showtimes.map((s) => s.format)).toEqual(['2D', '3D']);
  });

  it('adds a new theater without losing the stored ones, sorted by name (Ukrainian collation)', () => {
    const first = mergeMovie(
      null,
      input([theater('planeta', 'Планета Кіно', [show('2026-11-24T18:00:00+02:00')])]),
      NOW,
    );
    const second = mergeMovie(
      first,
      input([theater('multiplex', 'Multiplex', [show('2026-11-26T20:00:00+02:00')])], { genres: [] }),
      NOW,
    );

    expect(second.theaters.map((t) => t.name)).toEqual(['Планета Кіно', 'Multiplex']);
    expect(second.days).toEqual(['2026-11-24', '2026-11-26']);
    expect(second.genres).toEqual(['sci-fi']);
  });

  it('merges titles per language and lets non-empty incoming fields win', () => {
    const first = mergeMovie(
      null,
      input([], {
        titles: { uk: 'Дюна 3', original: 'Dune: Part Three' },
        posterUrl: 'https://img.example/old.jpg',
        durationMin: 150,
        ageRating: '12+',
      }),
      NOW,
    );
    const second = mergeMovie(
      first,
      input([], {
        titles: { en: 'Dune: Part Three', uk: '', ru: 'Дюна 3' },
        posterUrl: 'https://img.example/new.jpg',
        durationMin: 0,
        genres: ['drama', 'sci-fi', 'drama'],
        ageRating: '',
      }),
      NOW,
    );

    expect(second.titles).toEqual({ uk: 'Дюна 3', en: 'Dune: Part Three', ru: 'Дюна 3', original: 'Dune: Part Three' });
    expect(second.posterUrl).toBe('https://img.example/new.jpg');
    expect(second.durationMin).toBe(150);
    expect(second.ageRating).toBe('12+');
    expect(second.genres).toEqual(['drama', 'sci-fi']);
  });

  it('keeps a known synopsis per language when a later source lacks it', () => {
    const first = mergeMovie(null, input([], { synopsis: { uk: 'Пустеля і спеція.', en: 'Desert and spice.' } }), NOW);
    const silent = mergeMovie(first, input([]), NOW);
    const updated = mergeMovie(silent, input([], { synopsis: { en: 'Sand worms return.', ru: '', uk: ' ' } }), NOW);

    expect(mergeMovie(null, input([]), NOW)).not.toHaveProperty('synopsis');
    expect(silent.synopsis).toEqual({ uk: 'Пустеля і спеція.', en: 'Desert and spice.' });
    expect(updated.synopsis).toEqual({ uk: 'Пустеля і спеція.', en: 'Sand worms return.' });
  });

  it('updates a theater name only when the incoming one is non-empty', () => {
    const first = mergeMovie(null, input([theater('planeta', 'Планета Кіно', [])]), NOW);
    const blank = mergeMovie(first, input([theater('planeta', '', [])]), NOW);
    const renamed = mergeMovie(blank, input([theater('planeta', 'Planeta Kino IMAX', [])]), NOW);

    expect(blank.theaters[0]?.name).toBe('Планета Кіно');
    expect(renamed.theaters[0]?.name).toBe('Planeta Kino IMAX');
  });
});

describe('filterMovieToRange', () => {
  const movie = mergeMovie(
    null,
    input([
      theater('planeta', 'Планета', [show('2026-11-24T18:00:00+02:00'), show('2026-11-26T23:30:00+02:00')]),
      theater('zhovten', 'Жовтень', [show('2026-11-27T10:00:00+02:00')]),
    ]),
    NOW,
  );

  it('keeps only showtimes on days within the range, inclusive, and drops emptied theaters', () => {
    const filtered = filterMovieToRange(movie, { from: '2026-11-25', to: '2026-11-26' });

    expect(filtered?.theaters).toEqual([theater('planeta', 'Планета', [show('2026-11-26T23:30:00+02:00')])]);
    expect(filtered?.days).toEqual(['2026-11-26']);
    expect(filtered?.titles).toEqual(movie.titles);
  });

  it('returns null when nothing is left, and never changes the movie it was given', () => {
    const before = structuredClone(movie);

    expect(filterMovieToRange(movie, { from: '2026-11-28', to: '2026-12-05' })).toBeNull();
    expect(filterMovieToRange(movie, { from: '2026-11-24', to: '2026-11-24' })?.days).toEqual(['2026-11-24']);
    expect(filterMovieToRange(movie, { from: '2026-11-01', to: '2026-11-30' })).toEqual(movie);
    expect(movie).toEqual(before);
  });
});
