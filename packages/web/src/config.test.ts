import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs with no configuration at all: port 8001, embedded store, random secret', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8001);
    expect(config.basePath).toBe('');
    expect(config.store.mongoUri).toBeUndefined();
    expect(config.store.sqliteFile).toMatch(/data\/cinestream\.db$/);
    expect(config.secretKeyGenerated).toBe(true);
    expect(config.secretKey).toHaveLength(64);
  });

  it('says what is wrong with each bad value, all at once', () => {
    const found = problems({
      PORT: '70000',
      BASE_PATH: 'cinestream/',
      MONGO_URI: 'htp://db',
      DONATE_URL: 'javascript:alert(1)',
    });
    expect(found).toHaveLength(4);
    expect(found[0]).toBe('PORT: must be 1–65535 (got "70000")');
    expect(found[1]).toMatch(/^BASE_PATH: must be empty or a path like \/cinestream/);
    expect(found[2]).toBe('MONGO_URI: must look like mongodb://user:password@host:27017/database');
    expect(found[3]).toMatch(/^DONATE_URL: must be an http\(s\):\/\/ URL/);
  });

  it('checks the listen address and the proxies to trust', () => {
    expect(problems({ HOST: 'local host' })[0]).toMatch(/^HOST: must be an IP address or a host name/);
    expect(problems({ TRUST_PROXY: 'lopback' })[0]).toMatch(/^TRUST_PROXY: must be true, false, a hop count/);
    expect(problems({ TRUST_PROXY: '10.0.0.0/33' })).toHaveLength(1);
    expect(loadConfig({ HOST: '::', TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('never echoes a secret back', () => {
    const found = problems({ SECRET_KEY: 'short-secret' });
    expect(found).toEqual(['SECRET_KEY: must be at least 32 characters']);
  });

  it('shows a bad URL without the credentials it may carry', () => {
    const found = problems({
      GEMINI_BASE_URL: 'ftp://user:pass@gemini.example/v1beta?key=abc123#top',
      DONATE_URL: 'user:pass@donate.example/page',
    });
    expect(found).toEqual([
      'DONATE_URL: must be an http(s):// URL (got "donate.example/page")',
      'GEMINI_BASE_URL: must be an http(s):// URL (got "ftp://gemini.example/v1beta")',
    ]);
    expect(found.join('\n')).not.toMatch(/user|pass|abc123/);
  });

  it('reads the Gemini settings with their defaults, and refuses bad ones', () => {
    expect(loadConfig({ GOOGLE_API_KEY: 'k' }).gemini).toEqual({
      apiKey: 'k',
      model: 'flash',
      baseUrl: undefined,
      concurrency: 10,
      timeoutMs: 90_000,
      granularity: 'cinema-day',
      flexRefreshes: false,
      dailyTokenBudget: 3_000_000,
      dailyBudgetUsd: 5,
      scrapesPerIpPerHour: 10,
      schedulePages: true,
      pageModel: 'flash-lite',
    });
    const custom = loadConfig({
      GEMINI_API_KEY: 'a',
      GOOGLE_API_KEY: 'b',
      GEMINI_MODEL: 'flash-lite',
      GEMINI_BASE_URL: 'http://127.0.0.1:9000',
      GEMINI_GRANULARITY: 'movie',
      GEMINI_DAILY_BUDGET_USD: '2.50',
    }).gemini;
    expect(custom).toMatchObject({
      apiKey: 'a',
      model: 'flash-lite',
      baseUrl: 'http://127.0.0.1:9000',
      dailyBudgetUsd: 2.5,
    });
    expect(loadConfig({ GEMINI_MODEL: 'gemini-3.1-pro-preview' }).gemini.model).toBe('gemini-3.1-pro-preview');
    expect(
      problems({
        GEMINI_MODEL: 'Gemini Pro!',
        GEMINI_BASE_URL: 'gemini.example',
        GEMINI_CONCURRENCY: '0',
        GEMINI_GRANULARITY: 'hourly',
        GEMINI_DAILY_TOKEN_BUDGET: '-5',
        GEMINI_DAILY_BUDGET_USD: 'lots',
        SCRAPES_PER_IP_PER_HOUR: 'many',
      }),
    ).toEqual([
      'GEMINI_MODEL: must be flash, flash-lite, pro or a model id like gemini-3.5-flash (got "Gemini Pro!")',
      'GEMINI_BASE_URL: must be an http(s):// URL (got "gemini.example")',
      'GEMINI_CONCURRENCY: must be 1–64 (got "0")',
      'GEMINI_GRANULARITY: must be movie-day, movie, auto, cinema-day, cinema-week (got "hourly")',
      'GEMINI_DAILY_TOKEN_BUDGET: must be 0–1000000000000 (got "-5")',
      'GEMINI_DAILY_BUDGET_USD: must be a number of US dollars, e.g. 5 or 2.50 (got "lots")',
      'SCRAPES_PER_IP_PER_HOUR: must be a number (got "many")',
    ]);
  });

  it('reads when showtimes are asked again, and refuses a bad publication time', () => {
    expect(loadConfig({}).freshness).toEqual({
      publication: { weekday: 1, time: '18:00' },
      soonMaxAgeMs: 12 * 3_600_000,
      emptyMaxAgeMs: 24 * 3_600_000,
    });
    expect(loadConfig({ SCHEDULE_PUBLISHED_AT: 'Tuesday 09:30', REFRESH_SOON_HOURS: '6' }).freshness).toMatchObject({
      publication: { weekday: 2, time: '09:30' },
      soonMaxAgeMs: 6 * 3_600_000,
    });
    expect(problems({ SCHEDULE_PUBLISHED_AT: 'monday 6pm', REFRESH_SOON_HOURS: '0' })).toEqual([
      'SCHEDULE_PUBLISHED_AT: must be a weekday and a 24-hour time in the city, e.g. monday 18:00 (got "monday 6pm")',
      'REFRESH_SOON_HOURS: must be 1–168 (got "0")',
    ]);
    expect(problems({ SCHEDULE_PUBLISHED_AT: 'moonday 18:00' })).toHaveLength(1);
  });

  it('reads the cinemas’ pages itself unless SCHEDULE_PAGES=off, their text with GEMINI_PAGE_MODEL', () => {
    expect(loadConfig({}).gemini.schedulePages).toBe(true);
    expect(loadConfig({}).gemini.pageModel).toBe('flash-lite');
    expect(loadConfig({ GEMINI_PAGE_MODEL: 'gemini-3.5-flash' }).gemini.pageModel).toBe('gemini-3.5-flash');
    expect(problems({ GEMINI_PAGE_MODEL: 'Flash Lite!' })).toEqual([
      'GEMINI_PAGE_MODEL: must be flash, flash-lite, pro or a model id like gemini-3.5-flash (got "Flash Lite!")',
    ]);
    expect(loadConfig({ SCHEDULE_PAGES: 'off' }).gemini.schedulePages).toBe(false);
    expect(problems({ SCHEDULE_PAGES: 'yes' })).toEqual(['SCHEDULE_PAGES: must be on or off (got "yes")']);
  });

  it('requires SECRET_KEY in production', () => {
    expect(problems({ NODE_ENV: 'production' })[0]).toMatch(/^SECRET_KEY: required in production/);
  });

  it('takes MongoDB, a prefix and a data folder', () => {
    const config = loadConfig({
      MONGO_URI: 'mongodb://app:pw@127.0.0.1:27017/cinestream?authSource=admin',
      BASE_PATH: '/cinestream',
      DATA_DIR: '/var/lib/cinestream',
      PORT: '8013',
    });
    expect(config.store).toEqual({
      mongoUri: 'mongodb://app:pw@127.0.0.1:27017/cinestream?authSource=admin',
      mongoDb: undefined,
      sqliteFile: '/var/lib/cinestream/cinestream.db',
    });
    expect(config.basePath).toBe('/cinestream');
    expect(config.port).toBe(8013);
  });
});

describe('templates/env/web.env.hbs', () => {
  const template = Handlebars.compile(
    readFileSync(resolve(import.meta.dirname, '../../../templates/env/web.env.hbs'), 'utf8'),
    {
      strict: false,
    },
  );
  const parse = (text: string) =>
    Object.fromEntries(
      text
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  const defaults = {
    appName: 'cinestream',
    portRange: '8001-8012',
    basePath: '/cinestream',
    secretKey: 'a'.repeat(64),
    dataDir: '/var/lib/cinestream',
  };

  it('renders a production environment that loadConfig accepts, leaving PORT to each systemd instance', () => {
    const env = parse(template(defaults));
    expect(env).not.toHaveProperty('PORT');
    const config = loadConfig({ ...env, PORT: '8005' });
    expect(config.env).toBe('production');
    expect(config.port).toBe(8005);
    expect(config.store.sqliteFile).toBe('/var/lib/cinestream/cinestream.db');
  });

  it('adds MONGO_URI only when given', () => {
    expect(template(defaults)).not.toContain('MONGO_URI');
    const config = loadConfig(parse(template({ ...defaults, mongoUri: 'mongodb://u:p@127.0.0.1:27017/cinestream' })));
    expect(config.store.mongoUri).toBe('mongodb://u:p@127.0.0.1:27017/cinestream');
  });
});
