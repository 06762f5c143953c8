import { describe, expect, it } from 'vitest';
import { matchesSearch, searchKey, theaterName, transliterate } from './names.ts';

describe('transliterate', () => {
  it.each([
    ['Київ', 'Kyiv'],
    ['Кінотеатр «Поділ»', 'Kinoteatr «Podil»'],
    ['Згорани', 'Zghorany'],
    ['Юрій Яковенко', 'Yurii Yakovenko'],
    ['Знам’янка', 'Znamianka'],
    ['Щастя', 'Shchastia'],
    ['Multiplex Lavina', 'Multiplex Lavina'],
    ['ЩОРС', 'ShchORS'],
  ])('%s → %s', (cyrillic, latin) => expect(transliterate(cyrillic)).toBe(latin));
});

describe('searchKey and matchesSearch', () => {
  it('drops accents, case and punctuation', () => {
    expect(searchKey('Café — Noir!')).toBe(searchKey('cafe noir'));
  });

  it('brings Ukrainian, Russian and Latin spellings of a title together', () => {
    const titles = ['Глибока орбіта', 'Глубокая орбита', 'Deep Orbit'];
    for (const query of ['глибока', 'Глубокая', 'hlyboka', 'glubokaya', 'орбита', 'ORBIT', 'deep orb']) {
      expect(matchesSearch(query, titles), query).toBe(true);
    }
    expect(matchesSearch('сяйво', ['Північне сяйво'])).toBe(true);
    expect(matchesSearch('siayvo', ['Північне сяйво'])).toBe(true);
  });

  it('matches words from their start, every word of the query', () => {
    expect(matchesSearch('orbit deep', ['Deep Orbit'])).toBe(true);
    expect(matchesSearch('rbit', ['Deep Orbit'])).toBe(false);
    expect(matchesSearch('deep tram', ['Deep Orbit', 'The Last Tram'])).toBe(false);
    expect(matchesSearch('  !! ', ['Deep Orbit'])).toBe(false);
  });
});

describe('theaterName', () => {
  const podil = { name: 'Кінотеатр «Поділ»' };
  it('takes the name given for the language', () => {
    expect(theaterName({ ...podil, names: { en: 'Podil Cinema' } }, 'en')).toEqual({ text: 'Podil Cinema' });
  });
  it('transliterates for English, and keeps the Ukrainian name, marked, for Russian', () => {
    expect(theaterName(podil, 'en')).toEqual({ text: 'Kinoteatr «Podil»' });
    expect(theaterName(podil, 'ru')).toEqual({ text: 'Кінотеатр «Поділ»', lang: 'uk' });
    expect(theaterName(podil, 'uk')).toEqual({ text: 'Кінотеатр «Поділ»' });
    expect(theaterName({ name: 'Multiplex' }, 'ru')).toEqual({ text: 'Multiplex' });
  });
});
