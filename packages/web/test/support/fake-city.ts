import { latestPublication } from '../../src/domain/freshness.ts';
import { addDays } from '../../src/domain/time.ts';
import type { FakeReply, FakeRequest } from './fake-gemini.ts';
import { pageTextAnswer } from './fake-page-reader.ts';

export interface FakeCityOptions {
  theaters?: number;
  movies?: number;
  /**
   * With a clock, the cinemas publish as Ukrainian ones do: on Monday 18:00 (Kyiv) the week Thursday–Wednesday
   * after it; until then showings only go through the Wednesday of the week before.
   */
  clock?: () => Date;
  /** Schedule pages URL context cannot read: their questions come back empty, their reads marked failed. */
  unreadable?: string[];
  /** The cinemas' own websites, served by the tests (`cinema-sites.ts`): cinema N's page is `/cinema-N/schedule`. */
  siteOrigin?: string;
}

/** The last day the cinemas have published at `now`: the Wednesday nine days after the latest Monday 18:00. */
export function publishedThrough(now: Date): string {
  const published = latestPublication(now, 'Europe/Kyiv', { weekday: 1, time: '18:00' });
  return addDays(published.toISOString().slice(0, 10), 9);
}

/**
 * A made-up city as Gemini would describe it: `theaters` cinemas, `movies` films, and for each film a few
 * showings a day in most cinemas. Answers depend only on the question, so a scrape can be checked against
 * what the city "really" shows (`expectedShowtimes`).
 */
export interface FakeCity {
  theaters: {
    name: string;
    nameUk: string;
    nameEn: string;
    nameRu: string;
    address: string;
    url: string;
    scheduleUrl?: string;
  }[];
  movies: {
    titleUk: string;
    titleEn: string;
    originalTitle: string;
    posterUrl: string;
    durationMin: number;
    synopsisUk: string;
    synopsisEn: string;
    synopsisRu: string;
  }[];
  /** The step-3 answer for one film over the given days. */
  showtimes(movieIndex: number, days: string[]): { theater: string; date: string; time: string; format: string }[];
  /** Scripted answers for the fake server, by step. */
  answer(request: FakeRequest): FakeReply;
  /** Which film a step-3 question is about (index into `movies`; the first when several), and its days. */
  questionOf(request: FakeRequest): { movieIndex: number; movieIndexes: number[]; days: string[] };
}

const TIMES = ['10:15', '12:40', '15:05', '17:30', '19:55', '22:20'];

export function fakeCity(options: FakeCityOptions = {}): FakeCity {
  const theaters: FakeCity['theaters'] = Array.from({ length: options.theaters ?? 10 }, (_, index) => {
    const letter = String.fromCharCode(65 + index);
    return {
      name: `Cinema ${letter} Mall`,
      nameUk: `Кінотеатр ${letter} Молл`,
      nameEn: `Cinema ${letter} Mall`,
      nameRu: `Кинотеатр ${letter} Молл`,
      address: `${index + 1} Main Street`,
      ...(options.siteOrigin
        ? { url: `${options.siteOrigin}/cinema-${index + 1}/schedule` }
        : { url: `https://cinema-${index + 1}.example/`, scheduleUrl: `https://cinema-${index + 1}.example/schedule` }),
    };
  });
  const movies = Array.from({ length: options.movies ?? 20 }, (_, index) => ({
    titleUk: `Фільм номер ${index + 1}`,
    titleEn: `Film Number ${index + 1}`,
    originalTitle: `Film Number ${index + 1}`,
    posterUrl: `https://posters.example/${index + 1}.jpg`,
    durationMin: 90 + index,
    synopsisUk: `Історія фільму номер ${index + 1} в одному реченні.`,
    synopsisEn: `The story of film number ${index + 1} in one sentence.`,
    synopsisRu: `История фильма номер ${index + 1} в одном предложении.`,
  }));

  function showtimes(movieIndex: number, asked: string[]) {
    const last = options.clock ? publishedThrough(options.clock()) : undefined;
    const days = last ? asked.filter((day) => day <= last) : asked;
    return days.flatMap((day) =>
      theaters.flatMap((theater, theaterIndex) => {
        const dayNumber = Number(day.slice(8, 10));
        if ((movieIndex + theaterIndex + dayNumber) % 4 === 0) return [];
        const first = (movieIndex + theaterIndex) % 4;
        return [TIMES[first], TIMES[first + 2]].map((time, slot) => ({
          theater: theater.name,
          date: day,
          time: time ?? '20:00',
          format: (movieIndex + slot) % 3 === 0 ? 'IMAX 3D' : '2D',
        }));
      }),
    );
  }

  const indexOfTitle = (title: string) =>
    movies.findIndex((movie) =>
      [movie.titleUk, movie.titleEn, `${movie.titleUk} (${movie.originalTitle})`].includes(title),
    );

  function questionOf(request: FakeRequest) {
    const titles = [...request.prompt.matchAll(/^Movie: (.*)$/gm)].map((match) => match[1] ?? '');
    const movieIndexes = titles.map(indexOfTitle).filter((index) => index !== -1);
    const dateLine = /^Date: (.*)$/m.exec(request.prompt)?.[1] ?? request.day ?? '';
    return { movieIndex: movieIndexes[0] ?? -1, movieIndexes, days: dateLine.match(/\d{4}-\d{2}-\d{2}/g) ?? [] };
  }

  /** A question about one cinema: what it shows on the days, every film of the list, each showing naming its film. */
  function cinemaAnswer(request: FakeRequest, cinema: string): FakeReply {
    const theater = theaters.find((candidate) => candidate.name === cinema);
    const { movieIndexes, days } = questionOf(request);
    const page = theater?.scheduleUrl ?? theater?.url ?? '';
    if (request.urlContext && options.unreadable?.includes(page)) {
      return { json: { showtimes: [] }, urlReads: [{ url: page, status: 'URL_RETRIEVAL_STATUS_ERROR' }] };
    }
    return {
      json: {
        showtimes: movieIndexes.flatMap((index) =>
          showtimes(index, days)
            .filter((showing) => showing.theater === cinema)
            .map((showing) => ({ film: movies[index]?.titleUk, ...showing })),
        ),
      },
      ...(request.urlContext ? { urlReads: [{ url: page }] } : {}),
    };
  }

  function answer(request: FakeRequest): FakeReply {
    if (request.step === 'theaters') return { json: { theaters } };
    const pageShowings = pageTextAnswer(request.prompt);
    if (pageShowings) return { json: { showtimes: pageShowings } };
    if (request.step === 'movies') return { json: { movies } };
    const cinema = /^Cinema: (.*)$/m.exec(request.prompt)?.[1];
    if (cinema) return cinemaAnswer(request, cinema);
    const { movieIndexes, days } = questionOf(request);
    const several = movieIndexes.length > 1;
    return {
      json: {
        showtimes: movieIndexes.flatMap((index) =>
          showtimes(index, days).map((showing) => (several ? { film: movies[index]?.titleUk, ...showing } : showing)),
        ),
      },
    };
  }

  return { theaters, movies, showtimes, answer, questionOf };
}
