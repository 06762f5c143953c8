import { type Request, type Response, Router } from 'express';
import { catalogCity } from '../domain/cities.ts';
import type { Lang } from '../domain/model.ts';
import { showingId } from '../domain/showing.ts';
import type { Showtimes } from '../domain/showtimes.ts';
import { isDay } from '../domain/time.ts';
import { isLang, tMaybe } from '../i18n/index.ts';
import { showingIcs } from '../views/ics.ts';
import { movieTitleIn } from '../views/jsonld.ts';
import { Urls } from '../views/urls.ts';
import { cityNotFound, HttpError } from './http-error.ts';

const KEY = /^[\p{L}\p{N}._+-]{1,100}$/u;
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d$/;

const badShowing = () => new HttpError(400, 'bad_showing', 'error.badRequest');
const noShowing = () => new HttpError(404, 'showing_not_found', 'error.notFound');

/** The query naming a showing: `film`, `cinema` and `at` (its local start, `YYYY-MM-DDTHH:MM`). */
export function parseShowing(query: Record<string, unknown>): {
  film: string;
  cinema: string;
  at: string;
  day: string;
} {
  const { film, cinema, at } = query;
  if (typeof film !== 'string' || typeof cinema !== 'string' || typeof at !== 'string') throw badShowing();
  const day = LOCAL_TIME.exec(at)?.[1];
  if (!KEY.test(film) || !KEY.test(cinema) || !day || !isDay(day)) throw badShowing();
  return { film, cinema, at, day };
}

/** `/:lang/city/:slug/showing.ics?film=…&cinema=…&at=…`: one showing to add to a calendar (docs/API.md). */
export function calendarRoutes(deps: { showtimes: Showtimes; basePath: string; origin: (req: Request) => string }) {
  const router = Router();
  router.get(
    '/:lang/city/:slug/showing.ics',
    async (req: Request<{ lang: string; slug: string }>, res: Response, next) => {
      if (!isLang(req.params.lang)) return next();
      const lang: Lang = req.params.lang;
      const city = catalogCity(req.params.slug);
      if (!city) throw cityNotFound(req.params.slug);
      const wanted = parseShowing(req.query);
      const data = await deps.showtimes.forCity(city.slug, wanted.day, wanted.day);
      const movie = data?.movies.find((candidate) => candidate.key === wanted.film);
      const theater = movie?.theaters.find((candidate) => candidate.theaterKey === wanted.cinema);
      const showtime = theater?.showtimes.find((candidate) => candidate.startsAt.slice(0, 16) === wanted.at);
      if (!data || !movie || !theater || !showtime) throw noShowing();
      const known = data.location.theaters.find((candidate) => candidate.key === theater.theaterKey);
      const origin = deps.origin(req);
      const cinemaName = known?.names?.[lang] ?? theater.name;
      const audio = [
        showtime.language && tMaybe(lang, `audio.${showtime.language}`, showtime.language),
        showtime.subtitles && tMaybe(lang, `subs.${showtime.subtitles}`, showtime.subtitles),
      ];
      const ics = showingIcs({
        uid: `${city.slug}/${showingId(movie.key, theater.theaterKey, showtime)}@${new URL(origin).host}`,
        stamp: new Date(movie.updatedAt),
        startsAt: showtime.startsAt,
        durationMin: movie.durationMin,
        summary: movieTitleIn(lang, movie),
        location: [cinemaName, known?.address, city.names[lang]].filter(Boolean).join(', '),
        url: `${origin}${deps.basePath}/${lang}${Urls.cityPath(city.slug, { date: wanted.day })}`,
        description: [showtime.format, ...audio, showtime.bookingUrl].filter(Boolean).join('\n'),
      });
      res.set({
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': `attachment; filename="showing-${wanted.at.replace(':', '')}.ics"`,
        'Cache-Control': 'no-cache',
      });
      res.send(ics);
    },
  );
  return router;
}
