import type { Theater } from '../domain/model.ts';
import { theaterName } from '../domain/names.ts';
import type { CityShowtimes } from '../domain/showtimes.ts';
import { LOCALES, t } from '../i18n/index.ts';
import { cinemaJsonLd } from './jsonld.ts';
import { dayTabs, layout, movieSummary, outsideHorizon, type PageContext } from './pages.ts';
import { longDate, showtimeView, withCalendarLink } from './showing-view.ts';
import { Urls } from './urls.ts';

/** Where a map search finds a cinema: its address in the city, as the cinema writes it. */
export function mapUrl(address: string, city: string): string {
  return `https://www.openstreetmap.org/search?query=${encodeURIComponent(`${address}, ${city}`)}`;
}

/** A cinema: where it is, its website, and what it shows on one day of the horizon. */
export function cinemaPage(
  ctx: PageContext,
  data: CityShowtimes,
  theater: Theater,
  day: string,
  today: string,
  now: Date,
) {
  const { lang, urls } = ctx;
  const { location } = data;
  const cityName = location.names[lang];
  const name = theaterName(theater, lang);
  const date = longDate(lang, day);
  const outside = outsideHorizon(lang, day, today);
  const movies = outside
    ? []
    : data.movies
        .flatMap((movie) => {
          const showtimes = movie.theaters
            .filter((listing) => listing.theaterKey === theater.key)
            .flatMap((listing) => listing.showtimes)
            .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
            .map((showtime) =>
              withCalendarLink(
                showtimeView(lang, showtime, name.text, now.getTime(), movie.durationMin),
                lang,
                urls.base,
                {
                  slug: location.slug,
                  film: movie.key,
                  cinema: theater.key,
                  cinemaName: name.text,
                  startsAt: showtime.startsAt,
                },
              ),
            );
          return showtimes.length > 0 ? [{ ...movieSummary(ctx, location.slug, movie), showtimes }] : [];
        })
        .sort((a, b) => a.title.localeCompare(b.title, LOCALES[lang]));
  return {
    ...layout(ctx, t(lang, 'cinema.pageTitle', { cinema: name.text, city: cityName, date }), {
      canonicalPath: Urls.cinemaPath(location.slug, theater.key, { date: day === today ? undefined : day }),
      jsonLd: cinemaJsonLd(
        { lang, siteUrl: `${ctx.origin}${urls.base}`, location },
        theater.key,
        data.movies,
        `${ctx.origin}${urls.cinema(lang, location.slug, theater.key)}`,
      ),
    }),
    cityUrl: urls.city(lang, location.slug),
    cityHeading: t(lang, 'city.heading', { city: cityName }),
    heading: name.text,
    headingLang: name.lang ?? '',
    headingDate: date,
    date: day,
    address: theater.address ? t(lang, 'cinema.address', { address: theater.address }) : '',
    mapUrl: theater.address ? mapUrl(theater.address, location.names.uk) : '',
    map: t(lang, 'cinema.map'),
    websiteUrl: theater.url ?? '',
    website: t(lang, 'cinema.website'),
    daysLabel: t(lang, 'city.days'),
    days: dayTabs(today, day, lang, (tab) => urls.cinema(lang, location.slug, theater.key, { date: tab })),
    outside,
    movies,
    emptyText: t(lang, 'cinema.empty'),
  };
}
