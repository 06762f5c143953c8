import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serverRenderedPage } from '../../../test/support/cinema-sites.ts';
import { scheduleText } from './schedule-text.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../test/fixtures/cinema-sites/${name}`, import.meta.url), 'utf8');

const page = serverRenderedPage('Кінотеатр Жовтень', [
  { film: 'Дюна: Частина друга', day: '2026-12-03', time: '19:30', format: '2D', bookingPath: '/book/1' },
  { film: 'Дюна: Частина друга', day: '2026-12-03', time: '21:45', format: 'IMAX', bookingPath: '/book/2' },
  { film: 'Аватар', day: '2026-12-04', time: '10:00', format: '3D', bookingPath: 'https://tickets.example/3' },
]);

describe('scheduleText: a schedule page as compact text for the model', () => {
  it('keeps the schedule: headings, day markers from data-date, times with their booking links (paths on its own site)', () => {
    const { text, hasTimes } = scheduleText(page, 'https://zhovten.example/schedule');
    expect(text.split('\n')).toEqual([
      '# Кінотеатр Жовтень: розклад сеансів',
      '',
      '[2026-12-03]',
      '',
      '## 2026-12-03',
      '',
      '### Дюна: Частина друга',
      '19:30 </book/1> 2D 21:45 </book/2> IMAX',
      '',
      '[2026-12-04]',
      '',
      '## 2026-12-04',
      '',
      '### Аватар',
      '10:00 <https://tickets.example/3> 3D',
    ]);
    expect(hasTimes).toBe(true);
  });

  it('drops navigation, cookie banner, footer, scripts and styles, and is a fraction of the HTML', () => {
    const { text } = scheduleText(page, 'https://zhovten.example/schedule');
    for (const gone of ['Головна', 'cookies', 'Телефон', 'dataLayer', 'margin']) expect(text).not.toContain(gone);
    expect(text.length).toBeLessThan(page.length / 3);
  });

  it('finds no schedule in a page its script renders, though the header and footer hold clock times', () => {
    const { text, hasTimes } = scheduleText(fixture('script-rendered.html'), 'https://oscar.example/schedule');
    expect(text).toBe('Завантажуємо розклад…');
    expect(hasTimes).toBe(false);
  });

  it('reads the whole body when the page marks no main part, and keeps the day of a <time> element', () => {
    const html = `<body><p><time datetime="2026-12-05T19:00">19:00</time> <a href="/b/1">20:00</a> <a href="/film">Дюна</a> 21:00</p></body>`;
    expect(scheduleText(html, 'https://x.example/').text).toBe('[2026-12-05]19:00 20:00 </b/1> Дюна 21:00');
  });

  it('cuts a long page at a line end and says so', () => {
    const long = `<main>${Array.from({ length: 2000 }, (_, i) => `<p>Сеанс ${i} о 12:00</p>`).join('')}</main>`;
    const { text } = scheduleText(long, 'https://x.example/', 1_000);
    expect(text.length).toBeLessThanOrEqual(1_000 + 40);
    expect(text.endsWith('[the rest of the page is cut]')).toBe(true);
    expect(scheduleText(long, 'https://x.example/', 1_000).cut).toBe(true);
    expect(scheduleText(page, 'https://zhovten.example/schedule').cut).toBe(false);
    expect(text.split('\n').filter(Boolean).at(-2)).toMatch(/^Сеанс \d+ о 12:00$/);
  });
});
