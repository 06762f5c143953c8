/**
 * The JSON Schemas sent to Gemini for the three steps (what is asked for). What is accepted is decided
 * item by item in normalize.ts, so one bad entry never costs the good ones.
 */
const text = (description: string) => ({ type: 'string', description });
const nullableText = (description: string) => ({ type: 'string', nullable: true, description });

const answer = (key: string, properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties: { [key]: { type: 'array', items: { type: 'object', properties, required } } },
  required: [key],
});

export const THEATERS_SCHEMA = answer(
  'theaters',
  {
    name: text('Cinema name as the cinema writes it'),
    nameUk: nullableText('Cinema name in Ukrainian'),
    nameEn: nullableText('Cinema name in English'),
    nameRu: nullableText('Cinema name in Russian'),
    address: nullableText('Street address'),
    url: nullableText('Official website (https)'),
    scheduleUrl: nullableText('The page of the website that lists the showtimes (https)'),
  },
  ['name'],
);

export const MOVIES_SCHEMA = answer(
  'movies',
  {
    titleUk: nullableText('Title in Ukrainian'),
    titleEn: nullableText('Title in English'),
    titleRu: nullableText('Title in Russian'),
    originalTitle: nullableText('Original title'),
    posterUrl: nullableText('https URL of the poster image'),
    durationMin: { type: 'integer', nullable: true, description: 'Running time in minutes' },
    genres: { type: 'array', items: { type: 'string' }, description: 'Genres in English, lowercase' },
    ageRating: nullableText('Age rating, e.g. 12+'),
    synopsisUk: nullableText('One- or two-sentence synopsis in Ukrainian, plain text'),
    synopsisEn: nullableText('One- or two-sentence synopsis in English, plain text'),
    synopsisRu: nullableText('One- or two-sentence synopsis in Russian, plain text'),
  },
  [],
);

export const SHOWTIMES_SCHEMA = answer(
  'showtimes',
  {
    film: nullableText('Film title as given (when several films were asked about)'),
    theater: text('Cinema name exactly as in the given list'),
    date: text('YYYY-MM-DD'),
    time: text('Local start time, HH:MM (24-hour)'),
    format: nullableText('2D, 3D, IMAX, 4DX, ScreenX…'),
    language: nullableText('Audio language: uk, en, … or original'),
    subtitles: nullableText('Subtitle language, when subtitled'),
    bookingUrl: nullableText('https URL to buy tickets for this showing'),
  },
  ['theater', 'date', 'time'],
);

/**
 * A schedule page's showtimes, grouped as pages list them: by film and day, the cinema implied. The output is most
 * of what a page read costs, and this says each film, day and cinema once instead of once per showing.
 */
export const PAGE_SHOWTIMES_SCHEMA = answer(
  'showtimes',
  {
    film: text('Film title'),
    date: text('YYYY-MM-DD'),
    times: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          time: text('Local start time, HH:MM (24-hour)'),
          format: nullableText('2D, 3D, IMAX, 4DX, ScreenX…'),
          language: nullableText('Audio language: uk, en, … or original'),
          subtitles: nullableText('Subtitle language, when subtitled'),
          bookingUrl: nullableText('The booking link the page gives next to this time'),
        },
        required: ['time'],
      },
    },
  },
  ['film', 'date', 'times'],
);
