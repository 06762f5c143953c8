import type { Store } from './store.ts';

export interface StoreOptions {
  mongoUri?: string;
  mongoDb?: string;
  sqliteFile: string;
}

/** MongoDB when a URI is given, else the embedded SQLite file. Each adapter is loaded only when chosen. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  if (opts.mongoUri) {
    const { openMongoStore } = await import('./mongo.ts');
    return openMongoStore(opts.mongoUri, opts.mongoDb);
  }
  const { openSqliteStore } = await import('./sqlite.ts');
  return openSqliteStore(opts.sqliteFile);
}
