import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_RULES, type FreshnessRules, type Publication } from './domain/freshness.ts';
import { GRANULARITIES, type Granularity } from './domain/planner.ts';
import { packageRoot } from './paths.ts';
import { checkModelName } from './scrape/models.ts';

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** What Express's `trust proxy` setting accepts, checked here so a typo stops start-up with a sentence. */
function isTrustProxy(value: string): boolean {
  if (/^(true|false|\d+)$/.test(value)) return true;
  return value.split(',').every((part) => {
    const [address = '', bits, ...rest] = part.trim().split('/');
    if (PROXY_NAMES.has(address) && bits === undefined) return true;
    const family = isIP(address);
    const maxBits = family === 4 ? 32 : 128;
    return family !== 0 && rest.length === 0 && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits));
  });
}

function isModelName(name: string): boolean {
  try {
    checkModelName(name);
    return true;
  } catch {
    return false;
  }
}

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be ${min}–${max}`)
    .max(max, `must be ${min}–${max}`)
    .default(fallback);

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `monday 18:00` (a weekday, in English, and a 24-hour time) → a Publication; undefined when it is not one. */
function publicationOf(value: string): Publication | undefined {
  const match = /^([a-z]+)\s+([01]\d|2[0-3]):([0-5]\d)$/.exec(value.trim().toLowerCase());
  const weekday = WEEKDAYS.indexOf(match?.[1] ?? '');
  return match && weekday >= 0 ? { weekday, time: `${match[2]}:${match[3]}` } : undefined;
}

const httpsUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' });

/** GEMINI_MODEL and GEMINI_PAGE_MODEL: a family or a full model id. */
function modelName(fallback: string) {
  return z
    .string()
    .trim()
    .default(fallback)
    .refine(isModelName, { error: 'must be flash, flash-lite, pro or a model id like gemini-3.5-flash' });
}

const envSchema = z.object({
  NODE_ENV: z
    .enum(['production', 'development', 'test'], { error: 'must be production, development or test' })
    .default('development'),
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(1, 'must be 1–65535')
    .max(65535, 'must be 1–65535')
    .default(8001),
  HOST: z
    .string()
    .trim()
    .default('127.0.0.1')
    .refine((value) => isIP(value) !== 0 || HOSTNAME.test(value), {
      error: 'must be an IP address or a host name, e.g. 127.0.0.1, 0.0.0.0 or ::',
    }),
  BASE_PATH: z
    .string()
    .trim()
    .default('')
    .refine((value) => value === '' || /^(\/[a-z0-9._~-]+)+$/i.test(value), {
      error: 'must be empty or a path like /cinestream (leading slash, no trailing slash)',
    }),
  SECRET_KEY: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  DATA_DIR: optionalText,
  MONGO_URI: optionalText.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/[^/\s]+/, 'must look like mongodb://user:password@host:27017/database')
      .optional(),
  ),
  MONGO_DB: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1–63 letters, digits, _ or -')
      .optional(),
  ),
  DONATE_URL: optionalText.pipe(httpsUrl.optional()),
  GEMINI_API_KEY: optionalText,
  GOOGLE_API_KEY: optionalText,
  GEMINI_MODEL: modelName('flash'),
  GEMINI_PAGE_MODEL: modelName('flash-lite'),
  GEMINI_BASE_URL: optionalText.pipe(httpsUrl.optional()),
  GEMINI_CONCURRENCY: wholeNumber(1, 64, 10),
  GEMINI_TIMEOUT_SECONDS: wholeNumber(5, 600, 90),
  GEMINI_GRANULARITY: z.enum(GRANULARITIES, { error: `must be ${GRANULARITIES.join(', ')}` }).default('cinema-day'),
  GEMINI_DAILY_TOKEN_BUDGET: wholeNumber(0, 1e12, 3_000_000),
  GEMINI_FLEX_REFRESHES: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  GEMINI_DAILY_BUDGET_USD: z.coerce
    .number({ error: 'must be a number of US dollars, e.g. 5 or 2.50' })
    .min(0, 'must be 0–100000 US dollars')
    .max(100_000, 'must be 0–100000 US dollars')
    .default(5),
  SCRAPES_PER_IP_PER_HOUR: wholeNumber(1, 10_000, 10),
  SCHEDULE_PAGES: z
    .enum(['on', 'off'], { error: 'must be on or off' })
    .default('on')
    .transform((value) => value === 'on'),
  SCHEDULE_PUBLISHED_AT: z
    .string()
    .trim()
    .default('monday 18:00')
    .refine((value) => publicationOf(value) !== undefined, {
      error: 'must be a weekday and a 24-hour time in the city, e.g. monday 18:00',
    }),
  REFRESH_SOON_HOURS: wholeNumber(1, 168, 12),
  LOG_LEVEL: z
    .enum(['error', 'warn', 'info', 'debug'], { error: 'must be error, warn, info or debug' })
    .default('info'),
  TRUST_PROXY: z.string().trim().default('loopback').refine(isTrustProxy, {
    error:
      'must be true, false, a hop count, or a comma-separated list of loopback, linklocal, uniquelocal and IP addresses/CIDR ranges',
  }),
  CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(100_000).default(500),
  // The site's public origin, for absolute links (canonical, hreflang, sitemap, calendar): without it, the
  // request's own (behind TRUST_PROXY).
  PUBLIC_URL: optionalText.pipe(
    z
      .string()
      .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?\/?$/i, 'must be an origin like https://cinestream.example (no path)')
      .transform((url) => url.replace(/\/$/, '').toLowerCase())
      .optional(),
  ),
});

export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  basePath: string;
  secretKey: string;
  /** True when no SECRET_KEY was given and a random one is used (sessions end with the process). */
  secretKeyGenerated: boolean;
  store: { mongoUri?: string; mongoDb?: string; sqliteFile: string };
  donateUrl?: string;
  gemini: {
    apiKey?: string;
    model: string;
    /** Reads the text of the cinemas' schedule pages: no tools, so the cheapest model will do. */
    pageModel: string;
    baseUrl?: string;
    concurrency: number;
    timeoutMs: number;
    granularity: Granularity;
    /** Refreshes of days already fetched in full go to the Flex tier. */
    flexRefreshes: boolean;
    dailyTokenBudget: number;
    /** Tokens plus searches at list price, per UTC day, across all workers. */
    dailyBudgetUsd: number;
    scrapesPerIpPerHour: number;
    /** The site fetches the cinemas' schedule pages itself and reads them cheapest first (scrape/page-reading.ts). */
    schedulePages: boolean;
  };
  /** When showtimes are asked again (domain/freshness.ts). */
  freshness: FreshnessRules;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Express's `trust proxy` value. */
  trustProxy: boolean | number | string;
  cacheMaxEntries: number;
  /** PUBLIC_URL: scheme, host and port the site is reached at, without a trailing slash. */
  publicUrl?: string;
}

/** A URL as a message may show it: what precedes an `@` (a user and password), the query and the fragment may hold credentials. */
function withoutCredentials(url: string): string {
  return url.replace(/[?#].*$/s, '').replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/i, '$1');
}

/** The ` (got "…")` part of a problem line: nothing for secrets, a URL without its credentials. */
function shownValue(key: string, given: string | undefined): string {
  if (given === undefined || /KEY|URI/.test(key)) return '';
  return ` (got "${key.endsWith('_URL') ? withoutCredentials(given) : given}")`;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads the environment into a validated config; throws ConfigError listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.');
        return `${key}: ${issue.message}${shownValue(key, env[key])}`;
      }),
    );
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.SECRET_KEY) {
    throw new ConfigError([
      'SECRET_KEY: required in production (at least 32 random characters, e.g. `openssl rand -hex 32`)',
    ]);
  }
  const dataDir = resolve(e.DATA_DIR ?? resolve(packageRoot, 'data'));
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    basePath: e.BASE_PATH,
    secretKey: e.SECRET_KEY ?? randomBytes(32).toString('hex'),
    secretKeyGenerated: !e.SECRET_KEY,
    store: { mongoUri: e.MONGO_URI, mongoDb: e.MONGO_DB, sqliteFile: resolve(dataDir, 'cinestream.db') },
    donateUrl: e.DONATE_URL,
    gemini: {
      apiKey: e.GEMINI_API_KEY ?? e.GOOGLE_API_KEY,
      model: e.GEMINI_MODEL,
      pageModel: e.GEMINI_PAGE_MODEL,
      baseUrl: e.GEMINI_BASE_URL,
      concurrency: e.GEMINI_CONCURRENCY,
      timeoutMs: e.GEMINI_TIMEOUT_SECONDS * 1000,
      granularity: e.GEMINI_GRANULARITY,
      flexRefreshes: e.GEMINI_FLEX_REFRESHES,
      dailyTokenBudget: e.GEMINI_DAILY_TOKEN_BUDGET,
      dailyBudgetUsd: e.GEMINI_DAILY_BUDGET_USD,
      scrapesPerIpPerHour: e.SCRAPES_PER_IP_PER_HOUR,
      schedulePages: e.SCHEDULE_PAGES,
    },
    freshness: {
      ...DEFAULT_RULES,
      publication: publicationOf(e.SCHEDULE_PUBLISHED_AT) ?? DEFAULT_RULES.publication,
      soonMaxAgeMs: e.REFRESH_SOON_HOURS * 3_600_000,
    },
    logLevel: e.LOG_LEVEL,
    trustProxy: /^(true|false)$/.test(e.TRUST_PROXY)
      ? e.TRUST_PROXY === 'true'
      : /^\d+$/.test(e.TRUST_PROXY)
        ? Number(e.TRUST_PROXY)
        : e.TRUST_PROXY,
    cacheMaxEntries: e.CACHE_MAX_ENTRIES,
    publicUrl: e.PUBLIC_URL,
  };
}
