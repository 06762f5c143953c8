// Creates the store's tables/collections and indexes and puts the catalog cities in: `pnpm db:init`.
// Reads the same environment as the site (MONGO_URI, MONGO_DB, DATA_DIR); prints what it changed.
import { loadConfig } from '../config.ts';
import { CITY_CATALOG, seedCatalog } from '../domain/cities.ts';
import { openStore } from '../store/open.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const store = await openStore(config.store);
  try {
    const changes = await store.init();
    const known = new Set((await store.listLocations()).map((location) => location.slug));
    await seedCatalog(store);
    for (const city of CITY_CATALOG) if (!known.has(city.slug)) changes.push(`added city ${city.slug}`);
    const where = config.store.mongoUri ? 'MongoDB' : config.store.sqliteFile;
    console.log(changes.length > 0 ? `${where}:\n  ${changes.join('\n  ')}` : `${where}: up to date (no changes)`);
  } finally {
    await store.close();
  }
}

try {
  await main();
} catch (error) {
  console.error(`db:init: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
