import type { Theater } from '../model.ts';

/** Made-up cinemas per city for demo mode. */
const DISTRICTS: Record<string, string[]> = {
  kyiv: ['Поділ', 'Оболонь', 'Печерськ', 'Лівий берег'],
  lviv: ['Ринок', 'Личаків', 'Сихів'],
  odesa: ['Приморський', 'Аркадія', 'Молдаванка'],
  kharkiv: ['Салтівка', 'Центр', 'Холодна Гора'],
  dnipro: ['Набережна', 'Центр', 'Перемога'],
  vinnytsia: ['Вишенька', 'Центр'],
};

export function sampleTheaters(city: string): Theater[] {
  return (DISTRICTS[city] ?? ['Центр']).map((district, index) => ({
    key: `${city}-sample-${index + 1}`,
    name: `Кінотеатр «${district}»`,
    ...(index === 0 ? { url: 'https://example.com/' } : {}),
  }));
}
