import type { Localized, Theater } from '../model.ts';

interface SampleDistrict {
  names: Localized;
  street: string;
}

const district = (uk: string, en: string, ru: string, street: string): SampleDistrict => ({
  names: { uk, en, ru },
  street,
});

/** Made-up cinemas per city for demo mode, named after districts; the addresses are made up too. */
const DISTRICTS: Record<string, SampleDistrict[]> = {
  kyiv: [
    district('Поділ', 'Podil', 'Подол', 'вул. Сагайдачного, 12'),
    district('Оболонь', 'Obolon', 'Оболонь', 'просп. Оболонський, 40'),
    district('Печерськ', 'Pechersk', 'Печерск', 'вул. Лаврська, 7'),
    district('Лівий берег', 'Left Bank', 'Левый берег', 'просп. Броварський, 15'),
  ],
  lviv: [
    district('Ринок', 'Rynok', 'Рынок', 'пл. Ринок, 3'),
    district('Личаків', 'Lychakiv', 'Лычаков', 'вул. Личаківська, 60'),
    district('Сихів', 'Sykhiv', 'Сыхов', 'просп. Червоної Калини, 81'),
  ],
  odesa: [
    district('Приморський', 'Prymorskyi', 'Приморский', 'вул. Дерибасівська, 5'),
    district('Аркадія', 'Arcadia', 'Аркадия', 'Генуезька вул., 24'),
    district('Молдаванка', 'Moldavanka', 'Молдаванка', 'вул. Мясоєдовська, 30'),
  ],
  kharkiv: [
    district('Салтівка', 'Saltivka', 'Салтовка', 'просп. Героїв Харкова, 200'),
    district('Центр', 'Centre', 'Центр', 'вул. Сумська, 10'),
    district('Холодна Гора', 'Kholodna Hora', 'Холодная Гора', 'вул. Полтавський Шлях, 120'),
  ],
  dnipro: [
    district('Набережна', 'Embankment', 'Набережная', 'Січеславська Набережна, 17'),
    district('Центр', 'Centre', 'Центр', 'просп. Яворницького, 50'),
    district('Перемога', 'Peremoha', 'Победа', 'Набережна Перемоги, 86'),
  ],
  vinnytsia: [
    district('Вишенька', 'Vyshenka', 'Вишенка', 'вул. Келецька, 78'),
    district('Центр', 'Centre', 'Центр', 'вул. Соборна, 30'),
  ],
};

const FALLBACK = [district('Центр', 'Centre', 'Центр', 'вул. Центральна, 1')];

export function sampleTheaters(city: string): Theater[] {
  return (DISTRICTS[city] ?? FALLBACK).map(({ names, street }, index) => ({
    key: `${city}-sample-${index + 1}`,
    name: `Кінотеатр «${names.uk}»`,
    names: { uk: `Кінотеатр «${names.uk}»`, en: `${names.en} Cinema`, ru: `Кинотеатр «${names.ru}»` },
    address: street,
    ...(index === 0 ? { url: 'https://example.com/' } : {}),
  }));
}
