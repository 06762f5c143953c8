import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

// The test file has no DOM types (tsconfig lib is es2024), so in-page code is passed as strings.

const CHROMIUM = '/usr/bin/chromium';
const NOW = new Date('2026-11-24T10:00:00Z'); // 12:00 in Kyiv
const TODAY = '2026-11-24';
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '../../test-results');
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
    await page.goto(`${app.url}/uk/city/kyiv?date=${TODAY}`);
    await page.getByRole('navigation', { name: 'Мова сайту' }).getByRole('link', { name: 'English' }).click();
    // The city page is cached per day, so its links may carry the date or not (`?date=` is optional for today).
    await page.waitForURL(/\/en\/city\/kyiv(\?date=2026-11-24)?$/);
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

  it('fits phones and desktops (screenshots, no horizontal scroll at 360 px)', async () => {
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ] as const) {
      const page = await visitor({ viewport: { width, height } });
      await page.goto(`${app.url}/uk/city/kyiv?date=${TODAY}`);
      expect(await noHorizontalScroll(page), `${width}×${height}`).toBe(true);
      await page.screenshot({ path: join(RESULTS, `city-${width}x${height}.png`), fullPage: true });
    }
    const narrow = await visitor({ viewport: { width: 360, height: 740 } });
    for (const lang of ['uk', 'en', 'ru']) {
      for (const path of [`/${lang}/`, `/${lang}/city/kyiv?date=${TODAY}`]) {
        await narrow.goto(`${app.url}${path}`);
        expect(await noHorizontalScroll(narrow), `overflow at 360 px: ${path}`).toBe(true);
      }
    }
  });

  it('shows a placeholder instead of a poster that cannot be loaded', async () => {
    const showing = (theaterKey: string) => ({
      theaterKey,
      name: 'Кінотеатр Постер',
      showtimes: [{ startsAt: `${TODAY}T20:00:00+02:00`, format: '2D' }],
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

  it('has no axe-core violations', async () => {
    const page = await visitor({ bypassCSP: true });
    const report: string[] = [];
    for (const path of ['/uk/', `/uk/city/kyiv?date=${TODAY}`, `/en/city/kyiv?date=${TODAY}`]) {
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
  });
});
