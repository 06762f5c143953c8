import type { Localized, MovieTitles } from '../model.ts';

export interface SampleMovie {
  key: string;
  titles: MovieTitles;
  durationMin: number;
  genres: string[];
  ageRating: string;
  synopsis: Localized;
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
    synopsis: {
      uk: 'Метеорологиня їде на далеку полонину, щоб полагодити станцію, і застрягає там на зиму з упертим вівчарем.',
      en: 'A meteorologist travels to a remote mountain pasture to fix a weather station and is snowed in for the winter with a stubborn shepherd.',
      ru: 'Метеоролог едет на далёкую полонину починить станцию и застревает там на зиму с упрямым пастухом.',
    },
    formats: ['2D'],
    audio: 'uk',
  },
  {
    key: 'the-lighthouse-keepers-cat',
    titles: { uk: 'Кіт доглядача маяка', en: "The Lighthouse Keeper's Cat", ru: 'Кот смотрителя маяка' },
    durationMin: 92,
    genres: ['animation', 'family'],
    ageRating: '0+',
    synopsis: {
      uk: 'Рудий кіт доглядача маяка вирушає рятувати загублене кошеня, коли над морем гасне світло.',
      en: "When the lighthouse goes dark, the keeper's ginger cat sets out across the bay to rescue a lost kitten.",
      ru: 'Когда маяк гаснет, рыжий кот смотрителя отправляется через залив спасать потерявшегося котёнка.',
    },
    formats: ['2D', '3D'],
    audio: 'uk',
  },
  {
    key: 'deep-orbit',
    titles: { uk: 'Глибока орбіта', en: 'Deep Orbit', ru: 'Глубокая орбита', original: 'Deep Orbit' },
    durationMin: 134,
    genres: ['scifi', 'thriller'],
    ageRating: '16+',
    synopsis: {
      uk: 'Екіпаж ремонтного корабля знаходить на старій станції сигнал, якого там не мало б бути.',
      en: 'The crew of a repair ship finds a signal aboard an abandoned station that should not be there.',
      ru: 'Экипаж ремонтного корабля находит на заброшенной станции сигнал, которого там быть не должно.',
    },
    formats: ['2D', 'IMAX', '4DX'],
    audio: 'original',
  },
  {
    key: 'borscht-and-thunder',
    titles: { uk: 'Борщ і грім', en: 'Borscht and Thunder', ru: 'Борщ и гром' },
    durationMin: 101,
    genres: ['comedy'],
    ageRating: '12+',
    synopsis: {
      uk: 'Дві бабусі змагаються за найкращий борщ села, а гроза перевертає весь фестиваль догори дриґом.',
      en: 'Two grandmothers compete for the best borscht in the village while a thunderstorm turns the whole festival upside down.',
      ru: 'Две бабушки соревнуются за лучший борщ в селе, а гроза переворачивает весь фестиваль вверх дном.',
    },
    formats: ['2D'],
    audio: 'uk',
  },
  {
    key: 'the-last-tram',
    titles: { uk: 'Останній трамвай', en: 'The Last Tram', ru: 'Последний трамвай', original: 'The Last Tram' },
    durationMin: 109,
    genres: ['thriller', 'crime'],
    ageRating: '16+',
    synopsis: {
      uk: 'Нічна водійка трамвая бачить у дзеркалі пасажира, який зійшов на зупинці, що не існує.',
      en: 'A night tram driver sees a passenger in her mirror step off at a stop that does not exist.',
      ru: 'Ночная водительница трамвая видит в зеркале пассажира, сошедшего на несуществующей остановке.',
    },
    formats: ['2D'],
    audio: 'original',
  },
  {
    key: 'steppe-riders',
    titles: { uk: 'Вершники степу', en: 'Steppe Riders', ru: 'Всадники степи' },
    durationMin: 142,
    genres: ['adventure', 'history'],
    ageRating: '12+',
    synopsis: {
      uk: 'Юний вершник веде табун через степ до моря, випереджаючи тих, хто хоче його забрати.',
      en: 'A young rider drives a herd of horses across the steppe to the sea, one step ahead of those who want it.',
      ru: 'Юный всадник ведёт табун через степь к морю, опережая тех, кто хочет его отнять.',
    },
    formats: ['2D', 'IMAX'],
    audio: 'uk',
  },
  {
    key: 'quiet-harbour',
    titles: { uk: 'Тиха гавань', en: 'Quiet Harbour', ru: 'Тихая гавань' },
    durationMin: 97,
    genres: ['romance', 'drama'],
    ageRating: '12+',
    synopsis: {
      uk: 'Двоє незнайомців щоранку зустрічаються на тому самому поромі й поволі дізнаються, чому обоє не можуть поїхати.',
      en: 'Two strangers meet on the same ferry every morning and slowly learn why neither of them can leave.',
      ru: 'Двое незнакомцев каждое утро встречаются на одном пароме и постепенно узнают, почему оба не могут уехать.',
    },
    formats: ['2D'],
    audio: 'uk',
  },
  {
    key: 'robots-of-sunflower-street',
    titles: { uk: 'Роботи з Соняшникової вулиці', en: 'Robots of Sunflower Street', ru: 'Роботы с Подсолнечной улицы' },
    durationMin: 88,
    genres: ['animation', 'comedy'],
    ageRating: '6+',
    synopsis: {
      uk: 'Діти з однієї вулиці збирають із брухту роботів, щоб урятувати свій двір від забудовника.',
      en: 'Children from one street build robots out of scrap to save their courtyard from a developer.',
      ru: 'Дети с одной улицы собирают из металлолома роботов, чтобы спасти свой двор от застройщика.',
    },
    formats: ['2D', '3D'],
    audio: 'uk',
  },
];
