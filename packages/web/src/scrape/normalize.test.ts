import { describe, expect, it } from 'vitest';
import type { Theater } from '../domain/model.ts';
import {
  dayOf,
  formatOf,
  keyOf,
  languagesOf,
  matchTheater,
  normalizeMovies,
  normalizeShowtimes,
  normalizeTheaters,
  parseAnswer,
  SYNOPSIS_MAX,
  stripFormatTags,
  timeOf,
} from './normalize.ts';

describe('parseAnswer', () => {
  const json = '{"movies":[{"titleEn":"Up"}]}';
  it.each([
    ['plain JSON', json],
    ['a ```json fence', `\`\`\`json\n${json}\n\`\`\``],
    ['a bare fence', `\`\`\`\n${json}\n\`\`\``],
    ['prose around it', `Sure! Here is what I found:\n${json}\nHope this helps.`],
  ])('finds the array in %s', (_name, text) => {
    expect(parseAnswer(text, 'movies')).toEqual([{ titleEn: 'Up' }]);
  });
  it.each([
    ['empty text', ''],
    ['prose only', 'I could not find any showtimes.'],
    ['broken JSON', '{"movies":[{"titleEn":"Up"}'],
    ['another key', '{"films":[]}'],
    ['a non-array', '{"movies":{"titleEn":"Up"}}'],
  ])('gives null for %s', (_name, text) => {
    expect(parseAnswer(text, 'movies')).toBeNull();
  });
});

describe('names, keys and formats', () => {
  it('compares names without case, punctuation or ё', () => {
    expect(keyOf('  «Планета  Кіно» (Блокбастер)! ')).toBe('планета-кіно-блокбастер');
    expect(keyOf('Ёлки')).toBe(keyOf('елки'));
  });
  it.each([
    ['IMAX 3D', 'IMAX 3D'],
    ['3d', '3D'],
    ['RealD 3D', '3D'],
    ['4DX', '4DX'],
    ['Screen X', 'ScreenX'],
    ['2D', '2D'],
    ['', '2D'],
    [null, '2D'],
    ['Dolby Atmos 2D', 'Dolby Atmos'],
    ['3Д', '3D'],
  ])('format of %j is %s', (text, format) => {
    expect(formatOf(text)).toBe(format);
  });
  it.each([
    ['Аватар 3D', 'Аватар'],
    ['Avatar: Fire and Ash (IMAX 3D)', 'Avatar: Fire and Ash'],
    ['Дюна 2D', 'Дюна'],
    ['Dune', 'Dune'],
    ['Taxi 3', 'Taxi 3'],
    ['Blade Runner 2049', 'Blade Runner 2049'],
  ])('title %j without format tags is %j', (title, stripped) => {
    expect(stripFormatTags(title)).toBe(stripped);
  });
});

describe('days, times and languages', () => {
  it.each([
    ['2026-11-24', '2026-11-24'],
    ['24.11.2026', '2026-11-24'],
    ['2026-11-24T19:30:00+02:00', '2026-11-24'],
    ['2026-02-30', null],
    ['tomorrow', null],
  ])('day of %j is %j', (value, day) => {
    expect(dayOf(value)).toBe(day);
  });
  it.each([
    ['19:30', '19:30'],
    ['9:05', '09:05'],
    ['19.30', '19:30'],
    ['19:30:00', '19:30'],
    ['7:30 PM', '19:30'],
    ['12:15 am', '00:15'],
    ['2026-11-24T19:30:00+02:00', '19:30'],
    ['24:00', null],
    ['25:10', null],
    ['19:75', null],
    ['13:00 PM', null],
    ['evening', null],
  ])('time of %j is %j', (value, time) => {
    expect(timeOf(value)).toBe(time);
  });
});

describe('languagesOf', () => {
  it.each([
    // one language, in its usual spellings
    ['Українська', null, { language: 'uk' }],
    ['UA', null, { language: 'uk' }],
    ['original', null, { language: 'original' }],
    ['Оригінал', null, { language: 'original' }],
    ['мовою оригіналу', null, { language: 'original' }],
    ['на языке оригинала', null, { language: 'original' }],
    ['OV', null, { language: 'original' }],
    ['English', null, { language: 'en' }],
    ['англійською', null, { language: 'en' }],
    ['російською', null, { language: 'ru' }],
    ['pl', null, { language: 'pl' }],
    ['tr', null, { language: 'tr' }],
    ['Ukrainian dub', null, { language: 'uk' }],
    ['укр. дубляж', null, { language: 'uk' }],
    ['dubbed', null, {}],
    ['no', 'no', {}],
    [null, null, {}],
    // audio and subtitles in one text
    ['original, uk subtitles', null, { language: 'original', subtitles: 'uk' }],
    ['original (uk subs)', null, { language: 'original', subtitles: 'uk' }],
    ['ENG sub UKR', null, { language: 'en', subtitles: 'uk' }],
    ['Eng + sub Ukr', null, { language: 'en', subtitles: 'uk' }],
    ['original with Ukrainian subtitles', null, { language: 'original', subtitles: 'uk' }],
    ['English, Ukrainian subtitles', null, { language: 'en', subtitles: 'uk' }],
    ['uk subtitles, eng', null, { language: 'en', subtitles: 'uk' }],
    ['OV sub UA', null, { language: 'original', subtitles: 'uk' }],
    ['оригінал з українськими субтитрами', null, { language: 'original', subtitles: 'uk' }],
    ['мовою оригіналу з українськими субтитрами', null, { language: 'original', subtitles: 'uk' }],
    ['англійською мовою з субтитрами українською', null, { language: 'en', subtitles: 'uk' }],
    ['оригинал с украинскими субтитрами', null, { language: 'original', subtitles: 'uk' }],
    ['на английском с украинскими субтитрами', null, { language: 'en', subtitles: 'uk' }],
    ['українською, без субтитрів', null, { language: 'uk' }],
    ['оригінал без українських субтитрів', null, { language: 'original' }],
    // subtitles in their own field
    ['original', 'Українська', { language: 'original', subtitles: 'uk' }],
    ['original', 'uk', { language: 'original', subtitles: 'uk' }],
    ['original', 'українські субтитри', { language: 'original', subtitles: 'uk' }],
    ['en', 'original', { language: 'en' }],
    ['original, uk subtitles', 'en', { language: 'original', subtitles: 'en' }],
  ])('%j with subtitles %j is %j', (language, subtitles, expected) => {
    expect(languagesOf(language, subtitles)).toEqual(expected);
  });
});

describe('normalizeTheaters', () => {
  it('keeps one cinema per name, completes it from repeats, and drops entries without a name', () => {
    const result = normalizeTheaters(
      [
        { name: 'Multiplex Lavina', url: 'https://multiplex.ua/cinema/kyiv/lavina' },
        { name: 'MULTIPLEX  lavina', address: 'вул. Берковецька, 6Д' },
        { name: 'Жовтень', url: 'javascript:alert(1)' },
        { name: '' },
        { address: 'nowhere' },
        'Oskar',
      ],
      [{ key: 'zhovten', name: 'Жовтень' }],
    );
    expect(result.items).toEqual([
      {
        key: 'multiplex-lavina',
        name: 'Multiplex Lavina',
        url: 'https://multiplex.ua/cinema/kyiv/lavina',
        address: 'вул. Берковецька, 6Д',
      },
      { key: 'zhovten', name: 'Жовтень' },
    ]);
    expect(result.dropped).toBe(3);
  });

  it('keeps the names in uk/en/ru and an https schedule page', () => {
    const result = normalizeTheaters([
      {
        name: 'Кінотеатр Жовтень',
        nameUk: 'Кінотеатр Жовтень',
        nameEn: 'Zhovten Cinema',
        nameRu: ' ',
        scheduleUrl: 'https://zhovten.ua/schedule',
      },
      { name: 'Oskar', scheduleUrl: 'http://oskar.ua/rozklad' },
    ]);
    expect(result.items).toEqual([
      {
        key: 'кінотеатр-жовтень',
        name: 'Кінотеатр Жовтень',
        names: { uk: 'Кінотеатр Жовтень', en: 'Zhovten Cinema' },
        scheduleUrl: 'https://zhovten.ua/schedule',
      },
      { key: 'oskar', name: 'Oskar' },
    ]);
  });
});

describe('normalizeMovies', () => {
  it('merges the same film under other titles or with a format tag, keeping known keys', () => {
    const known = [{ key: 'dune-part-two', titles: { original: 'Dune: Part Two' }, genres: ['sci-fi'] }];
    const result = normalizeMovies(
      [
        { titleUk: 'Аватар: Вогонь і попіл', originalTitle: 'Avatar: Fire and Ash', genres: ['Sci-Fi'] },
        { titleUk: 'Аватар: Вогонь і попіл IMAX 3D', posterUrl: 'https://img.example/avatar.jpg', durationMin: 197 },
        { titleUk: 'Дюна: Частина друга', originalTitle: 'Dune: Part Two', posterUrl: 'http://img.example/dune.jpg' },
        { titleEn: '   ', genres: ['drama'] },
        { durationMin: 90 },
        null,
      ],
      known,
    );
    expect(result.items).toEqual([
      {
        key: 'avatar-fire-and-ash',
        titles: { uk: 'Аватар: Вогонь і попіл', original: 'Avatar: Fire and Ash' },
        genres: ['sci-fi'],
        posterUrl: 'https://img.example/avatar.jpg',
        durationMin: 197,
      },
      { key: 'dune-part-two', titles: { uk: 'Дюна: Частина друга', original: 'Dune: Part Two' }, genres: [] },
    ]);
    expect(result.dropped).toBe(3);
  });
  it('refuses impossible durations and keeps the movie', () => {
    const result = normalizeMovies([{ titleEn: 'Up', durationMin: 9000, ageRating: '0+' }]);
    expect(result.items).toEqual([{ key: 'up', titles: { en: 'Up' }, genres: [], ageRating: '0+' }]);
  });
  it('keeps a plain synopsis per language, on one line, and completes it from a repeat', () => {
    const result = normalizeMovies([
      { titleEn: 'Up', synopsisEn: '  An old man ties balloons\n to his house and flies away.  ', synopsisRu: null },
      { titleEn: 'Up 3D', synopsisUk: 'Старий прив’язує кульки до будинку й відлітає.' },
    ]);
    expect(result.items[0]?.synopsis).toEqual({
      en: 'An old man ties balloons to his house and flies away.',
      uk: 'Старий прив’язує кульки до будинку й відлітає.',
    });
    expect(normalizeMovies([{ titleEn: 'Up' }]).items[0]).not.toHaveProperty('synopsis');
  });
  it.each([
    ['markup', 'An old man <b>flies</b> away with his house.'],
    ['a script', 'An old man flies away.<script>alert(1)</script>'],
    ['a link', 'An old man flies away: https://spam.example/watch-free'],
    ['a bare domain', 'Watch the whole film free at moviez-free.com today'],
    ['a Markdown link', 'An old man [flies away](spam) with his house.'],
    ['template braces', 'An old man flies away with {{house}} tonight.'],
    ['a direction override', 'An old man flies away \u202Ewith his house.'],
    ['a zero-width character', 'An old man flies\u200B away with his house.'],
    ['too little', 'Old man.'],
    ['no letters', '1234567890 1234567890 !!!'],
    ['too much', `${'An old man flies away with his house. '.repeat(16)}`],
    ['not text', 42],
  ])('drops a synopsis with %s and keeps the film', (_name, synopsisEn) => {
    const result = normalizeMovies([
      { titleEn: 'Up', synopsisEn, synopsisUk: 'Старий відлітає разом зі своїм будинком.' },
    ]);
    expect(result.items[0]?.synopsis).toEqual({ uk: 'Старий відлітає разом зі своїм будинком.' });
    expect(result.dropped).toBe(0);
  });
  it('keeps a synopsis of exactly the longest length', () => {
    const longest = `${'a'.repeat(SYNOPSIS_MAX - 1)}.`;
    expect(normalizeMovies([{ titleEn: 'Up', synopsisEn: longest }]).items[0]?.synopsis).toEqual({ en: longest });
  });
});

describe('matchTheater', () => {
  const theaters: Theater[] = [
    { key: 'multiplex-lavina', name: 'Multiplex Lavina', names: { uk: 'Мультиплекс Лавина' } },
    { key: 'planeta-kino', name: 'Планета Кіно' },
    { key: 'zhovten', name: 'Жовтень' },
    { key: 'kino-palats', name: 'Кінопалац' },
  ];
  it.each([
    ['multiplex LAVINA', 'multiplex-lavina'],
    ['Multiplex «Lavina»', 'multiplex-lavina'],
    ['Мультиплекс Лавина', 'multiplex-lavina'],
    ['planeta-kino', 'planeta-kino'],
    ['Кінотеатр Планета Кіно', 'planeta-kino'],
    ['Кінотеатр «Жовтень»', 'zhovten'],
    ['Cinema Zhovten', undefined],
    ['Кінопалац', 'kino-palats'],
  ])('matches %j to %j by its whole name', (name, key) => expect(matchTheater(name, theaters)?.key).toBe(key));
  it.each([['x'], ['Lav'], ['Lavina'], ['Multiplex'], ['Планета'], ['Palats'], ['Oskar'], ['!!'], ['Кінотеатр']])(
    'matches no cinema to a part of a name or an unknown one: %j',
    (name) => expect(matchTheater(name, theaters)).toBeUndefined(),
  );
});

describe('normalizeShowtimes', () => {
  const theaters: Theater[] = [
    { key: 'lavina', name: 'Multiplex Lavina' },
    { key: 'zhovten', name: 'Жовтень' },
  ];
  const context = { days: ['2026-11-24'], timezone: 'Europe/Kyiv', theaters };

  it('stores times with the city offset and drops other days, impossible times, unknown cinemas and repeats', () => {
    const result = normalizeShowtimes(
      [
        {
          theater: 'Multiplex Lavina',
          date: '2026-11-24',
          time: '19:30',
          format: 'IMAX 3D',
          language: 'original',
          subtitles: 'Українська',
          bookingUrl: 'https://multiplex.ua/buy/1',
        },
        { theater: 'MULTIPLEX LAVINA', date: '2026-11-24', time: '19:30:00', format: 'imax 3d' },
        { theater: 'Жовтень', time: '9.05', language: 'uk', bookingUrl: 'not a url' },
        { theater: 'Жовтень', date: '2026-11-25', time: '12:00' },
        { theater: 'Жовтень', date: '2026-11-24', time: '25:00' },
        { theater: 'Oskar', date: '2026-11-24', time: '12:00' },
        { date: '2026-11-24', time: '12:00' },
      ],
      context,
    );
    expect(result.items).toEqual([
      {
        theater: theaters[0],
        showtime: {
          startsAt: '2026-11-24T19:30:00+02:00',
          format: 'IMAX 3D',
          language: 'original',
          subtitles: 'uk',
          bookingUrl: 'https://multiplex.ua/buy/1',
        },
      },
      { theater: theaters[1], showtime: { startsAt: '2026-11-24T09:05:00+02:00', format: '2D', language: 'uk' } },
    ]);
    expect(result.dropped).toBe(4);
  });

  it('keeps the audio and subtitle languages of a showing named in one text', () => {
    const result = normalizeShowtimes(
      [{ theater: 'Жовтень', time: '20:00', language: 'original, uk subtitles' }],
      context,
    );
    expect(result.items.map((item) => item.showtime)).toEqual([
      { startsAt: '2026-11-24T20:00:00+02:00', format: '2D', language: 'original', subtitles: 'uk' },
    ]);
  });

  it('uses the summer offset on a summer day and needs a date when several days were asked', () => {
    const summer = normalizeShowtimes(
      [
        { theater: 'Жовтень', date: '2026-07-01', time: '20:00' },
        { theater: 'Жовтень', time: '21:00' },
      ],
      { ...context, days: ['2026-07-01', '2026-07-02'] },
    );
    expect(summer.items.map((item) => item.showtime.startsAt)).toEqual(['2026-07-01T20:00:00+03:00']);
    expect(summer.dropped).toBe(1);
  });
});
