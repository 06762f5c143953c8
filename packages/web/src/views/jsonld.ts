import type { Lang, Location, Movie, MovieDetails, MovieTheater, Showtime, Theater } from '../domain/model.ts';
import { showingEnd } from '../domain/showing.ts';
import { synopsisIn } from './synopsis.ts';

/**
 * schema.org structured data for pages: `Movie`, `MovieTheater` and `ScreeningEvent` nodes in one `@graph`,
 * the events naming their film and cinema by `@id`. Pure: city, cinema and film pages all build theirs here.
 */

export interface JsonLdPlace {
  lang: Lang;
  /** Absolute URL of the site's root under its base path: `https://cinestream.example/cinestream`. */
  siteUrl: string;
  location: Pick<Location, 'slug' | 'names' | 'theaters'>;
}

const CONTEXT = 'https://schema.org';

export function movieTitleIn(lang: Lang, movie: MovieDetails): string {
  const { titles } = movie;
  return titles[lang] ?? titles.original ?? titles.uk ?? titles.en ?? titles.ru ?? movie.key;
}

const movieId = (place: JsonLdPlace, key: string) => `${place.siteUrl}/#movie-${encodeURIComponent(key)}`;
const theaterId = (place: JsonLdPlace, key: string) => `${place.siteUrl}/#cinema-${encodeURIComponent(key)}`;

export function movieNode(place: JsonLdPlace, movie: MovieDetails, url?: string) {
  return {
    '@type': 'Movie',
    '@id': movieId(place, movie.key),
    name: movieTitleIn(place.lang, movie),
    ...(movie.titles.original ? { alternateName: movie.titles.original } : {}),
    ...(movie.posterUrl ? { image: movie.posterUrl } : {}),
    ...(movie.durationMin ? { duration: `PT${movie.durationMin}M` } : {}),
    ...(movie.genres.length > 0 ? { genre: movie.genres } : {}),
    ...(movie.ageRating ? { contentRating: movie.ageRating } : {}),
    ...(url ? { url } : {}),
  };
}

export function theaterNode(place: JsonLdPlace, key: string, fallbackName: string, url?: string) {
  const theater: Theater | undefined = place.location.theaters.find((known) => known.key === key);
  return {
    '@type': 'MovieTheater',
    '@id': theaterId(place, key),
    name: theater?.names?.[place.lang] ?? theater?.name ?? fallbackName,
    address: {
      '@type': 'PostalAddress',
      ...(theater?.address ? { streetAddress: theater.address } : {}),
      addressLocality: place.location.names[place.lang],
      addressCountry: 'UA',
    },
    ...(theater?.url ? { sameAs: theater.url } : {}),
    ...(url ? { url } : {}),
  };
}

export function screeningEvent(place: JsonLdPlace, movie: MovieDetails, theaterKey: string, showtime: Showtime) {
  return {
    '@type': 'ScreeningEvent',
    name: movieTitleIn(place.lang, movie),
    startDate: showtime.startsAt,
    ...(movie.durationMin ? { endDate: showingEnd(showtime.startsAt, movie.durationMin) } : {}),
    eventStatus: 'https://schema.org/EventScheduled',
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    location: { '@id': theaterId(place, theaterKey) },
    workPresented: { '@id': movieId(place, movie.key) },
    videoFormat: showtime.format,
    ...(showtime.language && showtime.language !== 'original' ? { inLanguage: showtime.language } : {}),
    ...(showtime.subtitles ? { subtitleLanguage: showtime.subtitles } : {}),
    ...(movie.posterUrl ? { image: movie.posterUrl } : {}),
    ...(showtime.bookingUrl ? { offers: { '@type': 'Offer', url: showtime.bookingUrl } } : {}),
  };
}

/** Picks the showings a page lists: by default all; `keep` can leave some out (those that started, say). */
export interface Selection {
  theaterKey?: string;
  movieKey?: string;
  keep?: (showtime: Showtime) => boolean;
  /** At most this many showings, the soonest: a day's page stays light on the wire whatever the city shows. */
  limit?: number;
}

function graph(place: JsonLdPlace, movies: Movie[], selection: Selection) {
  const picked: { movie: Movie; theater: MovieTheater; showtime: Showtime }[] = [];
  for (const movie of movies) {
    if (selection.movieKey && movie.key !== selection.movieKey) continue;
    for (const theater of movie.theaters) {
      if (selection.theaterKey && theater.theaterKey !== selection.theaterKey) continue;
      for (const showtime of theater.showtimes) {
        if (!selection.keep || selection.keep(showtime)) picked.push({ movie, theater, showtime });
      }
    }
  }
  if (selection.limit !== undefined && picked.length > selection.limit) {
    picked.sort((a, b) => Date.parse(a.showtime.startsAt) - Date.parse(b.showtime.startsAt));
    picked.length = selection.limit;
  }
  const theaters = new Map<string, ReturnType<typeof theaterNode>>();
  const films = new Map<string, ReturnType<typeof movieNode>>();
  const events = picked.map(({ movie, theater, showtime }) => {
    if (!theaters.has(theater.theaterKey))
      theaters.set(theater.theaterKey, theaterNode(place, theater.theaterKey, theater.name));
    if (!films.has(movie.key)) films.set(movie.key, movieNode(place, movie));
    return screeningEvent(place, movie, theater.theaterKey, showtime);
  });
  return { theaters: [...theaters.values()], films: [...films.values()], events };
}

/** A city day's page: its cinemas, films and showings. */
export function cityJsonLd(place: JsonLdPlace, movies: Movie[], selection: Selection = {}) {
  const { theaters, films, events } = graph(place, movies, selection);
  return { '@context': CONTEXT, '@graph': [...theaters, ...films, ...events] };
}

/** A cinema's page: the cinema (always, with its URL) and its showings. */
export function cinemaJsonLd(place: JsonLdPlace, theaterKey: string, movies: Movie[], pageUrl: string) {
  const { films, events } = graph(place, movies, { theaterKey });
  const name = place.location.theaters.find((theater) => theater.key === theaterKey)?.name ?? theaterKey;
  return { '@context': CONTEXT, '@graph': [theaterNode(place, theaterKey, name, pageUrl), ...films, ...events] };
}

/** A film's page: the film (always, with its URL and synopsis), the cinemas showing it and its showings. */
export function filmJsonLd(place: JsonLdPlace, movie: Movie, pageUrl: string) {
  const { theaters, events } = graph(place, [movie], { movieKey: movie.key });
  const description = synopsisIn(place.lang, movie)?.text;
  const film = { ...movieNode(place, movie, pageUrl), ...(description ? { description } : {}) };
  return { '@context': CONTEXT, '@graph': [film, ...theaters, ...events] };
}
