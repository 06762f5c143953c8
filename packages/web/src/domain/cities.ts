import type { Store } from '../store/store.ts';
import type { CitySeed } from './model.ts';

/** The cities the site serves. Only these can be shown or fetched. */
export const CITY_CATALOG: readonly CitySeed[] = [
  { slug: 'kyiv', names: { uk: 'Київ', en: 'Kyiv', ru: 'Киев' }, timezone: 'Europe/Kyiv' },
  { slug: 'lviv', names: { uk: 'Львів', en: 'Lviv', ru: 'Львов' }, timezone: 'Europe/Kyiv' },
  { slug: 'odesa', names: { uk: 'Одеса', en: 'Odesa', ru: 'Одесса' }, timezone: 'Europe/Kyiv' },
  { slug: 'kharkiv', names: { uk: 'Харків', en: 'Kharkiv', ru: 'Харьков' }, timezone: 'Europe/Kyiv' },
  { slug: 'dnipro', names: { uk: 'Дніпро', en: 'Dnipro', ru: 'Днепр' }, timezone: 'Europe/Kyiv' },
  { slug: 'vinnytsia', names: { uk: 'Вінниця', en: 'Vinnytsia', ru: 'Винница' }, timezone: 'Europe/Kyiv' },
];

const bySlug = new Map(CITY_CATALOG.map((city) => [city.slug, city]));

export function catalogCity(slug: string): CitySeed | undefined {
  return bySlug.get(slug);
}

/** Puts every catalog city in the store (idempotent); scrape state already stored is kept. */
export async function seedCatalog(store: Store): Promise<void> {
  for (const city of CITY_CATALOG) await store.upsertLocation(city);
}
