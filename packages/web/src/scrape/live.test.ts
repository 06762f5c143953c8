import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import winston from 'winston';
import { type FakeGemini, startFakeGemini } from '../../test/support/fake-gemini.ts';
import { loadConfig } from '../config.ts';
import { healthRoutes } from '../routes/health.ts';
import { openSqliteStore } from '../store/sqlite.ts';
import { liveScraping } from './live.ts';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

/** A logger that keeps `level: message` lines. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      const entry = JSON.parse(String(chunk)) as { level: string; message: string };
      lines.push(`${entry.level}: ${entry.message}`);
      done();
    },
  });
  const log = winston.createLogger({
    level: 'debug',
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream })],
  });
  return { log, lines };
}

async function startUp(fake: FakeGemini, model: string, env: Record<string, string> = {}) {
  const store = openSqliteStore(':memory:');
  await store.init();
  open.push(store);
  const config = loadConfig({ GEMINI_API_KEY: 'k', GEMINI_BASE_URL: fake.url, GEMINI_MODEL: model, ...env });
  const { log, lines } = capturingLogger();
  const live = await liveScraping({ ...config.gemini, apiKey: 'k' }, { store, clock: () => new Date(), log });
  return { live, lines, store };
}

async function health(): Promise<Record<string, unknown>> {
  const app = express().use(healthRoutes(8001, 'sqlite'));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise((resolve) => server.close(() => resolve())) });
  const { port } = server.address() as AddressInfo;
  return (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as Promise<Record<string, unknown>>;
}

describe('Gemini at start-up', () => {
  it('resolves the family from every page of the model list and logs it once', async () => {
    const fake = await startFakeGemini({
      answer: () => ({ json: {} }),
      models: [
        'gemini-3.5-flash',
        'gemini-3.5-flash-lite',
        'gemini-3.1-pro-preview',
        'gemini-3.9-flash-preview',
        'gemini-3.8-flash',
      ],
      modelsPageSize: 2,
    });
    open.push(fake);
    const { lines } = await startUp(fake, 'flash');
    expect(lines.filter((line) => line.includes('Gemini model'))).toEqual([
      'info: Gemini model: flash → gemini-3.8-flash',
    ]);
    // Page text needs no tools: it goes to the cheapest family by default.
    expect(lines.filter((line) => line.includes('Gemini page model'))).toEqual([
      'info: Gemini page model: flash-lite → gemini-3.5-flash-lite',
    ]);
    expect((await health()).degraded).toBeUndefined();
  });

  it('reads page text with GEMINI_MODEL when GEMINI_PAGE_MODEL cannot be had, and says so once', async () => {
    const fake = await startFakeGemini({ answer: () => ({ json: {} }) });
    open.push(fake);
    const { lines } = await startUp(fake, 'flash', { GEMINI_PAGE_MODEL: 'gemini-2.5-flash-lite' });
    const said = lines.filter((line) => line.includes('GEMINI_PAGE_MODEL'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^warn: GEMINI_PAGE_MODEL=gemini-2\.5-flash-lite: .* Page text is read by GEMINI_MODEL's model meanwhile\.$/,
    );
    expect((await health()).degraded).toBeUndefined();
  });

  it('says in one line that a retired model is gone, shows it in /healthz, and sends no question', async () => {
    const fake = await startFakeGemini({ answer: () => ({ json: {} }) });
    open.push(fake);
    const { lines, live, store } = await startUp(fake, 'gemini-2.5-flash');
    const said =
      'GEMINI_MODEL=gemini-2.5-flash: the Gemini API does not offer this model (retired on 2026-10-16); it offers gemini-3.8-flash, gemini-3.5-flash-lite, gemini-3.5-flash, gemini-3.1-pro-preview; set GEMINI_MODEL to flash, flash-lite, pro or one of those ids.';
    expect(lines).toEqual([`error: ${said}`]);
    expect(await health()).toEqual({ status: 'ok', port: 8001, store: 'sqlite', degraded: { gemini: said } });

    await store.upsertLocation({
      slug: 'kyiv',
      names: { uk: 'Київ', en: 'Kyiv', ru: 'Киев' },
      timezone: 'Europe/Kyiv',
    });
    const kyiv = await store.getLocation('kyiv');
    if (!kyiv) throw new Error('kyiv was not stored');
    expect(await live.source.fetchDays(kyiv, ['2026-11-24'])).toBe('failed');
    expect(fake.requests).toEqual([]);
    expect((await store.scrapeRuns('kyiv', 1))[0]?.errors).toEqual([`Gemini bad-request: ${said}`]);
  });

  it('falls back to the built-in table, with a warning naming it, when the model list cannot be read', async () => {
    const down = createServer((_req, res) => res.writeHead(503).end('{"error":{"code":503,"message":"down"}}'));
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise((resolve) => down.close(() => resolve())) });
    const url = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
    const { lines } = await startUp({ url } as FakeGemini, 'flash-lite');
    expect(lines).toHaveLength(2);
    const fromTable =
      '→ gemini-3\\.5-flash-lite \\(the Gemini model list could not be read: .*; using the table from ai\\.google\\.dev\\/gemini-api\\/docs\\/pricing and …\\/docs\\/deprecations, as published 2026-10-07\\)$';
    expect(lines[0]).toMatch(new RegExp(`^warn: Gemini model: flash-lite ${fromTable}`));
    expect(lines[1]).toMatch(new RegExp(`^warn: Gemini page model: flash-lite ${fromTable}`));
  });
});
