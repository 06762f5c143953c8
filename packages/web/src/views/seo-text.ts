import type { Lang } from '../domain/model.ts';
import { dateTimeFormat } from '../domain/time.ts';
import { LOCALES } from '../i18n/index.ts';

/** A day as titles and descriptions name it: `Tuesday, 24 November`. */
export function longDay(lang: Lang, day: string): string {
  const format = dateTimeFormat(LOCALES[lang], { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  return format.format(new Date(`${day}T12:00:00Z`));
}

interface CityWords {
  city: string;
  day: string;
  films: number;
  cinemas: number;
}

/** The words of titles, descriptions and previews: page by page, each names its city and day. */
export const SEO_TEXT: Record<
  Lang,
  { cityTitle(w: CityWords): string; cityDescription(w: CityWords): string; homeDescription: string }
> = {
  uk: {
    cityTitle: (w) => `Кіно в місті ${w.city}, ${w.day}: розклад сеансів`,
    cityDescription: (w) =>
      `Розклад кіносеансів у місті ${w.city} на ${w.day}: фільмів — ${w.films}, кінотеатрів — ${w.cinemas}. Час, формат, мова й посилання на квитки.`,
    homeDescription:
      'Розклад кіносеансів у Києві, Львові, Одесі, Харкові, Дніпрі та Вінниці на сьогодні й два тижні вперед.',
  },
  en: {
    cityTitle: (w) => `Movies in ${w.city} on ${w.day}: showtimes`,
    cityDescription: (w) =>
      `Movie showtimes in ${w.city} for ${w.day}: ${w.films} films at ${w.cinemas} cinemas, with times, formats, languages and booking links.`,
    homeDescription:
      'Movie showtimes in Kyiv, Lviv, Odesa, Kharkiv, Dnipro and Vinnytsia for today and the next two weeks.',
  },
  ru: {
    cityTitle: (w) => `Кино в городе ${w.city}, ${w.day}: расписание сеансов`,
    cityDescription: (w) =>
      `Расписание киносеансов в городе ${w.city} на ${w.day}: фильмов — ${w.films}, кинотеатров — ${w.cinemas}. Время, формат, язык и ссылки на билеты.`,
    homeDescription:
      'Расписание киносеансов в Киеве, Львове, Одессе, Харькове, Днепре и Виннице на сегодня и две недели вперёд.',
  },
};
