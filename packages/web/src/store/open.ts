import type { StoreNotice } from './mongo.ts';
import type { Store } from './store.ts';

export interface StoreOptions {
  mongoUri?: string;
  mongoDb?: string;
  sqliteFile: string;
  /** Hears what the MongoDB store tells the operator (server lost or back, how expiry works). */
  notice?: StoreNotice;
}

/** MongoDB when a URI is given, else the embedded SQLite file. Each adapter is loaded only when chosen. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  if (opts.mongoUri) {
    const { openMongoStore } = await import('./mongo.ts');
    return openMongoStore(opts.mongoUri, opts.mongoDb, opts.notice);
  }
  const { openSqliteStore } = await import('./sqlite.ts');
  return openSqliteStore(opts.sqliteFile);
}
