import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

// The test file has no DOM types (tsconfig lib is es2024), so in-page code is passed as strings.

const CHROMIUM = '/usr/bin/chromium';
const NOW = new Date('2026-11-24T18:40:00Z'); // 20:40 in Kyiv: a visitor looking for tonight's film
const TODAY = '2026-11-24';
const TOMORROW = '2026-11-25';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '../../test-results');
const LONG_WORD = 'Достопримечательностинавсегданеобыкновенные';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

describe('the site in a real browser (Chromium)', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: run \`scripts/setup.sh --test\` to install it.`);
    }
    mkdirSync(RESULTS, { recursive: true });
    [app, browser] = await Promise.all([
      startTestApp({ now: NOW }),
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A fresh visitor: own cookies, Ukrainian browser unless told otherwise; closed with the browser. */
  async function visitor(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({ locale: 'uk-UA', ...options });
    context.setDefaultTimeout(5_000); // fail on the step that is stuck, not on the test timeout
    return context.newPage();
  }

  const pathOf = (page: Page) => {
    const url = new URL(page.url());
    return url.pathname + url.search;
  };
  const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');
  /** An attribute of each element matching `selector` that is shown (closed `<details>` hide theirs). */
  const shownAttributes = (page: Page, selector: string, name: string) =>
    page.evaluate<string[]>(
      `[...document.querySelectorAll(${JSON.stringify(selector)})].filter((e) => e.checkVisibility()).map((e) => e.getAttribute(${JSON.stringify(name)}))`,
    );
  const computed = (page: Page, selector: string, property: string) =>
    page.evaluate<string>(
      `getComputedStyle(document.querySelector(${JSON.stringify(selector)})).getPropertyValue(${JSON.stringify(property)})`,
    );
  const noHorizontalScroll = (page: Page) =>
    page.evaluate<boolean>('document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth');

  it('lets a visitor pick a city and see its movies with showtimes', async () => {
    const page = await visitor();
    await page.goto(`${app.url}/`);
    expect(pathOf(page)).toBe('/uk/');
    await page.getByRole('link', { name: /^Київ/ }).click();
    await page.waitForURL(/\/uk\/city\/kyiv$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Київ');
    const movies = page.getByRole('article');
    expect(await movies.count()).toBeGreaterThan(2);
    for (const movie of await movies.all()) {
      expect(await movie.getByRole('heading', { level: 2 }).textContent()).toBeTruthy();
      const times = await movie.locator('.showtime time').allTextContents();
      expect(times.length).toBeGreaterThan(0);
      for (const time of times) expect(time).toMatch(/^\d\d:\d\d$/);
    }
  });

  it('switches to English with the header link and remembers it', async () => {
    const page = await visitor();
    await page.goto(`${app.url}/uk/city/kyiv?date=${TOMORROW}`);
    await page.getByRole('navigation', { name: 'Мова сайту' }).getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/en\/city\/kyiv\?date=2026-11-25$/);
    expect(await htmlLang(page)).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Kyiv');
    expect(await page.getByRole('link', { name: 'English' }).getAttribute('aria-current')).toBe('true');
    // Booking links are named by their visible text first, then what they book.
    expect(
      await page.getByRole('link', { name: /^\d\d:\d\d \S+ .*Tickets for \d\d:\d\d, \S/ }).count(),
    ).toBeGreaterThan(5);

    // A bare URL now opens in English although the browser asks for Ukrainian, on the city seen last.
    await page.goto(`${app.url}/`);
    expect(pathOf(page)).toBe('/en/city/kyiv');
    expect(await htmlLang(page)).toBe('en');

    // Links keep the language: back to all cities, a city, another city.
    await page.getByRole('link', { name: /All cities/ }).click();
    await page.waitForURL(/\/en\/$/);
    await page.getByRole('link', { name: /^Kyiv/ }).click();
    await page.waitForURL(/\/en\/city\/kyiv$/);
    await page.getByRole('link', { name: /All cities/ }).click();
    await page.waitForURL(/\/en\/$/);
    await page.getByRole('link', { name: /^Lviv/ }).click();
    await page.waitForURL(/\/en\/city\/lviv$/);
    expect(await htmlLang(page)).toBe('en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Lviv');
  });

  it('moves between days and filters by format with the keyboard', async () => {
    const page = await visitor();
    await page.goto(`${app.url}/uk/city/kyiv?date=${TODAY}`);
    const tabs = page.getByRole('navigation', { name: 'Оберіть день' }).getByRole('link');
    expect(await tabs.count()).toBe(14);
    expect(await tabs.nth(0).getAttribute('aria-current')).toBe('date');

    await tabs.nth(2).click();
    await page.waitForURL(/date=2026-11-26/);
    expect(await tabs.nth(2).getAttribute('aria-current')).toBe('date');
    expect(await tabs.nth(0).getAttribute('aria-current')).toBeNull();
    expect(await page.locator('[aria-current="date"]').count()).toBe(1);

    const shownFormats = () => page.locator('.showtime .format').allTextContents();
    expect(new Set(await shownFormats()).size).toBeGreaterThan(1);
    await page.getByText('Фільтри й порядок').click(); // the filters are folded until asked for
    const select = page.getByLabel('Формат');
    const options = await select.locator('option:not([value=""])').allTextContents();
    const format = options.includes('IMAX') ? 'IMAX' : (options.at(-1) ?? '');
    expect(format).not.toBe('');
    await select.selectOption(format);
    await page.getByRole('button', { name: 'Показати' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`format=${format}`));
    expect(new URL(page.url()).searchParams.get('date')).toBe('2026-11-26');
    const formats = await shownFormats();
    expect(formats.length).toBeGreaterThan(0);
    expect(new Set(formats)).toEqual(new Set([format]));
    expect(await page.getByLabel('Формат').inputValue()).toBe(format);
  });

  it('offers a skip link as the first Tab stop that moves focus to main', async () => {
    const page = await visitor();
    await page.goto(`${app.url}/uk/city/kyiv?date=${TODAY}`);
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.getAttribute('class')).toBe('skip-link');
    expect(await focused.textContent()).toBe('Перейти до вмісту');
    const box = await focused.boundingBox();
    expect(box && box.y >= 0 && box.height > 0).toBe(true); // shown on screen while focused
    await page.keyboard.press('Enter');
    await page.waitForURL(/#main$/);
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('main');
    expect(await page.evaluate<string>('document.activeElement.tagName')).toBe('MAIN');
  });

  it('fits phones and desktops, long words included (screenshots, no horizontal scroll at 320 px)', async () => {
    const showing = { startsAt: `${TOMORROW}T21:00:00+02:00`, format: '2D', bookingUrl: 'https://example.com/t' };
    await app.store.upsertMovie(
      {
        city: 'kharkiv',
        key: 'long-word',
        titles: { uk: LONG_WORD, en: LONG_WORD, ru: LONG_WORD },
        durationMin: 100,
        genres: [],
        theaters: [{ theaterKey: 'kharkiv-sample-1', name: LONG_WORD, showtimes: [showing] }],
      },
      NOW,
    );
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      const page = await visitor({ viewport: { width, height } });
      await page.goto(`${app.url}/uk/city/kyiv?date=${TODAY}`);
      expect(await noHorizontalScroll(page), `${width}×${height}`).toBe(true);
      await page.screenshot({ path: join(RESULTS, `city-${width}x${height}.png`), fullPage: true });
    }
    const narrow = await visitor({ viewport: { width: 320, height: 740 } });
    const paths = [
      ...['uk', 'en', 'ru'].flatMap((lang) => [`/${lang}/`, `/${lang}/city/kyiv?date=${TODAY}`]),
      `/uk/city/kharkiv?date=${TOMORROW}`,
      '/en/city/kharkiv/film/long-word',
      `/ru/city/kharkiv/cinema/kharkiv-sample-1?date=${TOMORROW}`,
    ];
    for (const width of [320, 390]) {
      await narrow.setViewportSize({ width, height: 740 });
      for (const path of width === 320 ? paths : paths.slice(-3)) {
        await narrow.goto(`${app.url}${path}`);
        expect(await noHorizontalScroll(narrow), `overflow at ${width} px: ${path}`).toBe(true);
      }
    }
  });

  it('at 20:40 opens on tonight: the next showing in the first screen, the past folded', async () => {
    const page = await visitor({ viewport: { width: 390, height: 844 } });
    await page.goto(`${app.url}/uk/city/kyiv`);
    await page.screenshot({ path: join(RESULTS, 'tonight-390x844.png') });
    expect(await page.title()).toContain('24 листопада');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('вівторок, 24 листопада');
    const next = page.getByRole('region', { name: 'Найближчі сеанси' }).locator('.time');
    const first = await next.first().boundingBox();
    expect(first && first.y + first.height <= 844, `first upcoming showtime at y = ${first?.y}`).toBe(true);
    const starts = (await shownAttributes(page, '.next-list .time', 'datetime')).map((iso) => Date.parse(iso));
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((start, index) => start >= NOW.getTime() && start >= (starts[index - 1] ?? 0))).toBe(true);

    // Cards show only what is still to come; the films with nothing left are out of the count, folded at the end.
    const cards = page.locator('ul.movies > li.movie:visible');
    expect(await page.locator('.movie-count').textContent()).toMatch(new RegExp(`^${await cards.count()} `));
    expect(await page.locator('.finished').count()).toBe(1);
    expect(await page.locator('.finished .movie').first().isVisible()).toBe(false);
    const earlier = page.locator('details.earlier').first();
    const pastTime = earlier.locator('.past .showtime').first();
    expect(await pastTime.isVisible()).toBe(false);
    await earlier.locator('summary').click();
    expect(await pastTime.isVisible()).toBe(true);
    // A showing that has started is no link, whatever booking it had; upcoming bookable ones say "Квитки".
    expect(await page.locator('.past a').count()).toBe(0);
    const bookable = page.locator('a.showtime').first();
    expect(await bookable.locator('.book').textContent()).toBe('Квитки');
  });

  it('filters by time of day, sound, cinema and sorts by film, all from links that work without script', async () => {
    const page = await visitor({ javaScriptEnabled: false });
    const visibleTimes = () => shownAttributes(page, 'ul.movies > li.movie .theaters .time', 'datetime');
    await page.goto(`${app.url}/en/city/kyiv?date=${TOMORROW}&time=late`);
    const late = await visibleTimes();
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((iso) => Number(iso.slice(11, 13)) >= 21)).toBe(true);
    expect(await page.getByLabel('Time of day').inputValue()).toBe('late');

    await page.goto(`${app.url}/en/city/kyiv?date=${TOMORROW}&audio=subtitled`);
    const sounds = await page.locator('ul.movies .theaters .audio').allTextContents();
    expect(sounds.length).toBeGreaterThan(0);
    expect(sounds.every((sound) => sound.includes('subtitles'))).toBe(true);

    await page.goto(`${app.url}/en/city/kyiv?date=${TOMORROW}&theater=kyiv-sample-3`);
    expect(new Set(await page.locator('ul.movies .theaters h3').allTextContents())).toEqual(
      new Set(['Pechersk Cinema']),
    );

    await page.goto(`${app.url}/en/city/kyiv?date=${TOMORROW}&sort=film`);
    const titles = await page.locator('ul.movies > li.movie h2').allTextContents();
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'en-GB')));
    await page.goto(`${app.url}/en/city/kyiv?date=${TOMORROW}&sort=time`);
    expect(await page.locator('ul.movies > li.movie h2').allTextContents()).not.toEqual(titles);

    await page.goto(`${app.url}/en/city/kyiv?time=night`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bad request');
  });

  it('finds a film by a Latin spelling of its Ukrainian title, and shows its cinema and film pages', async () => {
    const page = await visitor({ javaScriptEnabled: false });
    await page.goto(`${app.url}/uk/city/kyiv?date=${TOMORROW}`);
    await page.getByRole('searchbox', { name: 'Пошук фільму' }).fill('hlyboka orbita');
    await page.getByRole('button', { name: 'Знайти' }).click();
    await page.waitForURL(/\/uk\/city\/kyiv\/search\?q=hlyboka\+orbita$/);
    await page.getByRole('link', { name: 'Глибока орбіта' }).click();
    await page.waitForURL(/\/uk\/city\/kyiv\/film\/deep-orbit$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Глибока орбіта');
    expect(await page.getByText('134 хв').count()).toBe(1);
    const end = await page.locator('.showtime .end time').first().textContent();
    expect(end).toMatch(/^\d\d:\d\d$/);

    await page
      .locator('.film-day')
      .first()
      .getByRole('link', { name: /Кінотеатр/ })
      .first()
      .click();
    await page.waitForURL(/\/uk\/city\/kyiv\/cinema\/kyiv-sample-\d\?date=/);
    expect(await page.locator('.place').textContent()).toContain('Адреса:');
    await page.getByRole('link', { name: '← Кіно: Київ' }).click();
    await page.waitForURL(/\/uk\/city\/kyiv$/);

    // Cinema names in the visitor's language; Russian pages mark a Ukrainian name that stays.
    await page.goto(`${app.url}/ru/city/kyiv/cinema/kyiv-sample-1?date=${TOMORROW}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Кинотеатр «Подол»');
  });

  it('follows the system theme, the browser’s font size, and forced colours', async () => {
    const background = (page: Page) => computed(page, 'body', 'background-color');
    const light = await visitor({ colorScheme: 'light', viewport: { width: 390, height: 844 } });
    await light.goto(`${app.url}/en/city/kyiv?date=${TOMORROW}`);
    const dark = await visitor({ colorScheme: 'dark' });
    await dark.goto(`${app.url}/en/city/kyiv?date=${TOMORROW}`);
    expect(await background(light)).toBe('rgb(246, 246, 248)');
    expect(await background(dark)).toBe('rgb(16, 18, 23)');
    await light.screenshot({ path: join(RESULTS, 'city-light-390x844.png') });

    // A 24 px default font (the browser's setting) scales showtimes too, and nothing scrolls sideways.
    const big = await visitor({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    await big.goto(`${app.url}/en/city/kyiv?date=${TOMORROW}`);
    await big.addStyleTag({ content: 'html { font-size: 24px; }' });
    const timeSize = await computed(big, '.showtime .time', 'font-size');
    expect(timeSize).toBe('24px');
    expect(await noHorizontalScroll(big)).toBe(true);

    const forced = await visitor({ forcedColors: 'active' });
    await forced.goto(`${app.url}/en/city/kyiv?date=${TOMORROW}`);
    for (const current of ['.day-tabs a[aria-current]', '.languages a[aria-current]']) {
      const width = await computed(forced, current, 'border-top-width');
      expect(width, current).toBe('3px');
    }
  });

  it('shows a placeholder instead of a poster that cannot be loaded', async () => {
    const showing = (theaterKey: string) => ({
      theaterKey,
      name: 'Кінотеатр Постер',
      showtimes: [{ startsAt: `${TODAY}T22:00:00+02:00`, format: '2D' }],
    });
    const poster = (key: string, posterUrl: string, uk: string) =>
      app.store.upsertMovie(
        { city: 'odesa', key, titles: { uk }, posterUrl, genres: [], theaters: [showing(key)] },
        NOW,
      );
    await poster('loads', `${app.url}/static/icon.svg`, 'Афіша є');
    await poster('broken', 'https://posters.invalid/missing.jpg', 'Афіші немає');

    const page = await visitor();
    await page.goto(`${app.url}/uk/city/odesa`);
    const card = (title: string) => page.getByRole('article').filter({ hasText: title });
    // Posters load lazily, so a broken one may fail (and go) after the page's load event.
    await card('Афіші немає').locator('img').waitFor({ state: 'detached', timeout: 10_000 });
    await expect(card('Афіші немає').locator('img').count()).resolves.toBe(0);
    await expect(card('Афіші немає').locator('.poster-placeholder').isVisible()).resolves.toBe(true);
    await expect(card('Афіша є').locator('img').count()).resolves.toBe(1);
    await page.waitForFunction(`[...document.querySelectorAll('.poster img')].some((image) => image.naturalWidth > 0)`);
  });

  // axe takes a few seconds a page, and more on a loaded machine: one test per language, each with time to spare.
  it.each(['uk', 'en', 'ru'])(
    'has no axe-core violations on any page type in %s',
    { timeout: 90_000 },
    async (lang) => {
      const report: string[] = [];
      const page = await visitor({ bypassCSP: true });
      for (const path of [
        `/${lang}/`,
        `/${lang}/city/kyiv?date=${TODAY}`,
        `/${lang}/city/kyiv/cinema/kyiv-sample-1?date=${TOMORROW}`,
        `/${lang}/city/kyiv/film/deep-orbit`,
        `/${lang}/city/kyiv/search?q=orbit`,
      ]) {
        await page.goto(`${app.url}${path}`);
        await page.addScriptTag({ content: AXE_SOURCE });
        const { violations, passes } = await page.evaluate<{ violations: AxeViolation[]; passes: number }>(
          "axe.run(document, { resultTypes: ['violations'] }).then((r) => ({ violations: r.violations, passes: r.passes.length }))",
        );
        expect(passes, `axe ran no rules on ${path}`).toBeGreaterThan(10);
        for (const violation of violations) {
          report.push(`${path}: [${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})`);
          for (const node of violation.nodes) {
            report.push(
              `    ${JSON.stringify(node.target)}${node.failureSummary ? ` — ${node.failureSummary.replaceAll('\n', ' ')}` : ''}`,
            );
          }
        }
      }
      expect(report.length, `axe violations:\n${report.join('\n')}`).toBe(0);
    },
  );
});
