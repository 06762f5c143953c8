import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, createApp } from '../../src/app.ts';
import { seedCatalog } from '../../src/domain/cities.ts';
import { sampleSource } from '../../src/domain/sample/source.ts';
import { type FetchGuard, Showtimes } from '../../src/domain/showtimes.ts';
import type { ShowtimeSource } from '../../src/domain/source.ts';
import { createLogger } from '../../src/log.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';

export interface TestApp {
  url: string;
  store: Store;
  showtimes: Showtimes;
  dbFile: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<AppConfig>;
  /** A fixed time, or a function for a clock a test moves. */
  now?: Date | (() => Date);
  dbFile?: string;
  /** Defaults to the sample source. */
  source?: (store: Store, clock: () => Date) => ShowtimeSource;
  guard?: (store: Store, clock: () => Date) => FetchGuard;
}

/** The real app on a loopback port, with a real sqlite store in a temporary folder and the sample source. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dir = options.dbFile ? undefined : mkdtempSync(join(tmpdir(), 'cinestream-test-'));
  const dbFile = options.dbFile ?? join(dir as string, 'cinestream.db');
  const store = openSqliteStore(dbFile);
  await store.init();
  await seedCatalog(store);
  const now = options.now;
  const clock = typeof now === 'function' ? now : () => (now ? new Date(now) : new Date());
  const log = createLogger({ env: 'test', level: 'error' });
  const config = {
    port: 8001,
    basePath: '',
    secretKey: 'test-secret-key-that-is-long-enough-0123456789',
    trustProxy: 'loopback',
    cacheMaxEntries: 100,
    ...options.config,
  };
  const showtimes = new Showtimes({
    store,
    source: (options.source ?? sampleSource)(store, clock),
    clock,
    log,
    cacheMaxEntries: config.cacheMaxEntries,
    guard: options.guard?.(store, clock),
  });
  const app = createApp({ config, store, showtimes, clock, log });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    showtimes,
    dbFile,
    async close() {
      await showtimes.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await store.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Fetch without following redirects, so tests see them. */
export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers });
}

/** The `name=value` part of each Set-Cookie header, joined for a Cookie header. */
export function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies whose shape they assert on.
export type Json = any;

export async function json(response: Response): Promise<Json> {
  return response.json();
}
