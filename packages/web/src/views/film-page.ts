import { LANGS, type Movie } from '../domain/model.ts';
import { showingsOf } from '../domain/schedule.ts';
import type { CityShowtimes } from '../domain/showtimes.ts';
import { t } from '../i18n/index.ts';
import { filmJsonLd } from './jsonld.ts';
import { layout, movieSummary, type PageContext } from './pages.ts';
import { longDate, showtimeView, theaterNames, withCalendarLink } from './showing-view.ts';
import { synopsisIn } from './synopsis.ts';

/** A film: its details, and every cinema and time it plays at over the horizon, day by day. */
export function filmPage(ctx: PageContext, data: CityShowtimes, movie: Movie, now: Date) {
  const { lang, urls } = ctx;
  const { location } = data;
  const summary = movieSummary(ctx, location.slug, movie);
  const names = theaterNames(lang, location, [movie]);
  const days: {
    day: string;
    date: string;
    theaters: Map<string, { name: string; nameLang: string; href: string; showtimes: object[] }>;
  }[] = [];
  for (const showing of showingsOf([movie])) {
    const day = showing.showtime.startsAt.slice(0, 10);
    let entry = days.at(-1);
    if (entry?.day !== day) {
      entry = { day, date: longDate(lang, day), theaters: new Map() };
      days.push(entry);
    }
    const name = names.get(showing.theaterKey) ?? { text: showing.theaterName };
    let theater = entry.theaters.get(showing.theaterKey);
    if (!theater) {
      theater = {
        name: name.text,
        nameLang: name.lang ?? '',
        href: urls.cinema(lang, location.slug, showing.theaterKey, { date: day }),
        showtimes: [],
      };
      entry.theaters.set(showing.theaterKey, theater);
    }
    const view = showtimeView(lang, showing.showtime, name.text, now.getTime(), movie.durationMin);
    theater.showtimes.push(
      withCalendarLink(view, lang, urls.base, {
        slug: location.slug,
        film: movie.key,
        cinema: showing.theaterKey,
        cinemaName: name.text,
        startsAt: showing.showtime.startsAt,
      }),
    );
  }
  const otherTitles = LANGS.filter((other) => other !== lang)
    .map((other) => ({ text: movie.titles[other] ?? '', lang: other }))
    .filter(
      (title, index, all) =>
        title.text &&
        title.text !== summary.title &&
        title.text !== movie.titles.original &&
        all.findIndex((t2) => t2.text === title.text) === index,
    );
  const synopsis = synopsisIn(lang, movie);
  return {
    ...layout(ctx, t(lang, 'film.pageTitle', { title: summary.title, city: location.names[lang] }), {
      jsonLd: filmJsonLd(
        { lang, siteUrl: `${ctx.origin}${urls.base}`, location },
        movie,
        `${ctx.origin}${urls.film(lang, location.slug, movie.key)}`,
      ),
    }),
    ...summary,
    cityUrl: urls.city(lang, location.slug),
    cityHeading: t(lang, 'city.heading', { city: location.names[lang] }),
    otherTitles,
    otherTitlesLabel: t(lang, 'film.otherTitles'),
    synopsis: synopsis?.text ?? '',
    synopsisLang: synopsis?.lang ?? '',
    showingsHeading: t(lang, 'film.showings'),
    days: days.map((entry) => ({ ...entry, theaters: [...entry.theaters.values()] })),
    noneText: t(lang, 'film.none'),
  };
}
