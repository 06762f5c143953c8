import type { Lang } from '../domain/model.ts';

interface CityWords {
  city: string;
  day: string;
  films: number;
  cinemas: number;
}

/** The words of descriptions and previews: a city page's names its city and day. */
export const SEO_TEXT: Record<Lang, { cityDescription(w: CityWords): string; homeDescription: string }> = {
  uk: {
    cityDescription: (w) =>
      `Розклад кіносеансів у місті ${w.city} на ${w.day}: фільмів — ${w.films}, кінотеатрів — ${w.cinemas}. Час, формат, мова й посилання на квитки.`,
    homeDescription:
      'Розклад кіносеансів у Києві, Львові, Одесі, Харкові, Дніпрі та Вінниці на сьогодні й два тижні вперед.',
  },
  en: {
    cityDescription: (w) =>
      `Movie showtimes in ${w.city} for ${w.day}: ${w.films} films at ${w.cinemas} cinemas, with times, formats, languages and booking links.`,
    homeDescription:
      'Movie showtimes in Kyiv, Lviv, Odesa, Kharkiv, Dnipro and Vinnytsia for today and the next two weeks.',
  },
  ru: {
    cityDescription: (w) =>
      `Расписание киносеансов в городе ${w.city} на ${w.day}: фильмов — ${w.films}, кинотеатров — ${w.cinemas}. Время, формат, язык и ссылки на билеты.`,
    homeDescription:
      'Расписание киносеансов в Киеве, Львове, Одессе, Харькове, Днепре и Виннице на сегодня и две недели вперёд.',
  },
};
