import { matchesSearch } from '../domain/names.ts';
import type { CityShowtimes } from '../domain/showtimes.ts';
import { LOCALES, t } from '../i18n/index.ts';
import { layout, movieSummary, type PageContext } from './pages.ts';
import { allTitles, localTime, longDate } from './showing-view.ts';

/** Films of the horizon whose title (in any language or spelling) matches the query, soonest showing first. */
export function searchPage(ctx: PageContext, data: CityShowtimes, query: string, now: Date) {
  const { lang, urls } = ctx;
  const { location } = data;
  const nowMs = now.getTime();
  const results = query
    ? data.movies
        .filter((movie) => matchesSearch(query, allTitles(movie)))
        .map((movie) => {
          const next = movie.theaters
            .flatMap((theater) => theater.showtimes)
            .map((showtime) => showtime.startsAt)
            .filter((startsAt) => Date.parse(startsAt) >= nowMs)
            .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
          return {
            ...movieSummary(ctx, location.slug, movie),
            next: next
              ? t(lang, 'search.next', { date: longDate(lang, next.slice(0, 10)), time: localTime(lang, next) })
              : '',
            nextMs: next ? Date.parse(next) : Number.POSITIVE_INFINITY,
          };
        })
        .sort((a, b) => a.nextMs - b.nextMs || a.title.localeCompare(b.title, LOCALES[lang]))
    : [];
  const cityName = location.names[lang];
  return {
    ...layout(ctx, t(lang, 'search.pageTitle', { city: cityName })),
    cityUrl: urls.city(lang, location.slug),
    cityHeading: t(lang, 'city.heading', { city: cityName }),
    heading: query ? t(lang, 'search.heading', { query }) : t(lang, 'city.search'),
    query,
    searchAction: urls.search(lang, location.slug),
    searchLabel: t(lang, 'city.search'),
    searchButton: t(lang, 'city.searchButton'),
    results,
    noneText: query ? t(lang, 'search.none', { query }) : '',
  };
}
