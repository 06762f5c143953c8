import type { MovieTitles } from '../model.ts';

export interface SampleMovie {
  key: string;
  titles: MovieTitles;
  durationMin: number;
  genres: string[];
  ageRating: string;
  formats: string[];
  /** How the showings are voiced: dubbed in Ukrainian, or original with Ukrainian subtitles. */
  audio: 'uk' | 'original';
}

/** Made-up films for demo mode; nothing here is a real release. */
export const SAMPLE_MOVIES: readonly SampleMovie[] = [
  {
    key: 'northern-lights-over-the-carpathians',
    titles: {
      uk: 'Північне сяйво над Карпатами',
      en: 'Northern Lights over the Carpathians',
      ru: 'Северное сияние над Карпатами',
    },
    durationMin: 118,
    genres: ['drama'],
    ageRating: '12+',
    formats: ['2D'],
    audio: 'uk',
  },
  {
    key: 'the-lighthouse-keepers-cat',
    titles: { uk: 'Кіт доглядача маяка', en: "The Lighthouse Keeper's Cat", ru: 'Кот смотрителя маяка' },
    durationMin: 92,
    genres: ['animation', 'family'],
    ageRating: '0+',
    formats: ['2D', '3D'],
    audio: 'uk',
  },
  {
    key: 'deep-orbit',
    titles: { uk: 'Глибока орбіта', en: 'Deep Orbit', ru: 'Глубокая орбита', original: 'Deep Orbit' },
    durationMin: 134,
    genres: ['scifi', 'thriller'],
    ageRating: '16+',
    formats: ['2D', 'IMAX', '4DX'],
    audio: 'original',
  },
  {
    key: 'borscht-and-thunder',
    titles: { uk: 'Борщ і грім', en: 'Borscht and Thunder', ru: 'Борщ и гром' },
    durationMin: 101,
    genres: ['comedy'],
    ageRating: '12+',
    formats: ['2D'],
    audio: 'uk',
  },
  {
    key: 'the-last-tram',
    titles: { uk: 'Останній трамвай', en: 'The Last Tram', ru: 'Последний трамвай', original: 'The Last Tram' },
    durationMin: 109,
    genres: ['thriller', 'crime'],
    ageRating: '16+',
    formats: ['2D'],
    audio: 'original',
  },
  {
    key: 'steppe-riders',
    titles: { uk: 'Вершники степу', en: 'Steppe Riders', ru: 'Всадники степи' },
    durationMin: 142,
    genres: ['adventure', 'history'],
    ageRating: '12+',
    formats: ['2D', 'IMAX'],
    audio: 'uk',
  },
  {
    key: 'quiet-harbour',
    titles: { uk: 'Тиха гавань', en: 'Quiet Harbour', ru: 'Тихая гавань' },
    durationMin: 97,
    genres: ['romance', 'drama'],
    ageRating: '12+',
    formats: ['2D'],
    audio: 'uk',
  },
  {
    key: 'robots-of-sunflower-street',
    titles: { uk: 'Роботи з Соняшникової вулиці', en: 'Robots of Sunflower Street', ru: 'Роботы с Подсолнечной улицы' },
    durationMin: 88,
    genres: ['animation', 'comedy'],
    ageRating: '6+',
    formats: ['2D', '3D'],
    audio: 'uk',
  },
];
