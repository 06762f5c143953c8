import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { seedCatalog } from './domain/cities.ts';
import { sampleSource } from './domain/sample/source.ts';
import { Showtimes } from './domain/showtimes.ts';
import { createLogger, type Logger } from './log.ts';
import { answerClientErrors } from './routes/edges.ts';
import { liveScraping } from './scrape/live.ts';
import { openStore } from './store/open.ts';

const HOUR_MS = 3_600_000;

/**
 * Logs what nothing caught, redacted like every log line, and ends the worker with exit code 1 (its state is
 * unknown; systemd starts it again). A rejection nobody handles arrives here too: Node raises it as uncaught.
 */
function exitOnUncaught(log: Logger): void {
  process.on('uncaughtException', (error, origin) => {
    log.error(origin === 'unhandledRejection' ? 'unhandled promise rejection' : 'uncaught exception', { error });
    process.exit(1);
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ env: config.env, level: config.logLevel });
  exitOnUncaught(log);
  if (config.secretKeyGenerated) {
    log.warn('SECRET_KEY is not set: using a random key, so language choices are forgotten when the process restarts');
  }
  const store = await openStore({ ...config.store, notice: (level, message) => log[level](message) });
  await store.init();
  await seedCatalog(store);
  const purge = async () => {
    const purged = await store.purgeExpired(new Date());
    if (purged > 0) log.info(`removed ${purged} movies past their 90-day TTL`);
  };
  await purge();
  setInterval(
    () => purge().catch((error: unknown) => log.error('TTL purge failed', { error: String(error) })),
    HOUR_MS,
  ).unref();
  const clock = () => new Date();
  const { apiKey } = config.gemini;
  const { source, guard } = apiKey
    ? await liveScraping({ ...config.gemini, apiKey }, { store, clock, log, publicUrl: config.publicUrl })
    : { source: sampleSource(store, clock), guard: undefined };
  if (!apiKey) log.warn('GEMINI_API_KEY is not set: serving made-up sample showtimes (demo mode)');
  const showtimes = new Showtimes({
    store,
    source,
    clock,
    log,
    cacheMaxEntries: config.cacheMaxEntries,
    guard,
    freshness: config.freshness,
  });
  const app = createApp({ config, store, showtimes, clock, log });
  const server = app.listen(config.port, config.host, () => {
    log.info(
      `CineStream listening on http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}${config.basePath}/`,
      {
        store: store.kind,
        source: source.kind,
      },
    );
  });
  answerClientErrors(server, config.basePath);
  server.on('error', (error: NodeJS.ErrnoException) => {
    log.error(
      error.code === 'EADDRINUSE' ? `port ${config.port} is already in use: set PORT to a free port` : error.message,
    );
    process.exit(1);
  });
  const stop = () => {
    server.close(() => void store.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError
      ? error.message
      : `CineStream could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
