import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request } from 'express';
import type { Config } from './config.ts';
import type { Lang } from './domain/model.ts';
import type { Clock, Showtimes } from './domain/showtimes.ts';
import { Visitors } from './domain/visitors.ts';
import type { Logger } from './log.ts';
import { publicDir } from './paths.ts';
import { apiRoutes } from './routes/api.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { canonicalRedirects } from './routes/canonical.ts';
import { errorHandler, notFoundHandler } from './routes/errors.ts';
import { healthRoutes } from './routes/health.ts';
import { parseQuery } from './routes/input.ts';
import { cityMemory, languageRoutes } from './routes/language.ts';
import { openapiRoutes } from './routes/openapi.ts';
import { siteOrigin } from './routes/origin.ts';
import { pageRoutes } from './routes/pages.ts';
import { securityHeaders } from './routes/security.ts';
import { seoFiles } from './routes/seo-files.ts';
import { staticFiles } from './routes/static-files.ts';
import type { Store } from './store/store.ts';
import type { PageContext } from './views/pages.ts';
import { loadViews } from './views/render.ts';
import { Urls } from './views/urls.ts';

export type AppConfig = Pick<
  Config,
  'port' | 'basePath' | 'secretKey' | 'donateUrl' | 'trustProxy' | 'cacheMaxEntries' | 'publicUrl'
>;

export interface AppDeps {
  config: AppConfig;
  store: Store;
  showtimes: Showtimes;
  clock: Clock;
  log: Logger;
}

function assetVersion(file: string): string {
  return createHash('sha1')
    .update(readFileSync(join(publicDir, file)))
    .digest('hex')
    .slice(0, 10);
}

/** The site as an Express app; it does not listen (see server.ts). */
export function createApp(deps: AppDeps): express.Express {
  const { config, store, showtimes, log } = deps;
  const base = config.basePath;
  const urls = new Urls(base);
  const origin = siteOrigin(config.publicUrl);
  const render = loadViews();
  const visitors = new Visitors(store);
  const assets = {
    css: urls.asset('style.css', assetVersion('style.css')),
    script: urls.asset('poster.js', assetVersion('poster.js')),
    icon: urls.asset('icon.svg', assetVersion('icon.svg')),
  };
  const context = (req: Request, lang: Lang): PageContext => {
    const path = req.originalUrl.slice(base.length);
    const afterLang = path.startsWith(`/${lang}/`) || path === `/${lang}` ? path.slice(lang.length + 1) || '/' : '/';
    return {
      lang,
      urls,
      pathAfterLang: afterLang,
      sampleData: showtimes.sourceKind === 'sample',
      donateUrl: config.donateUrl,
      origin: origin(req),
      assets,
    };
  };

  const app = express();
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false);
  app.set('query parser', parseQuery);
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(healthRoutes(config.port, store.kind));

  // Most requested first: every route a request passes on the way costs it a little.
  const site = express.Router();
  site.use(canonicalRedirects(base));
  site.use(
    pageRoutes({
      showtimes,
      clock: deps.clock,
      visitors,
      render,
      context,
      cacheMaxEntries: config.cacheMaxEntries,
      basePath: base,
      origin,
      rememberCity: cityMemory(base, config.secretKey),
    }),
  );
  site.use(calendarRoutes({ showtimes, basePath: base, origin }));
  site.use(apiRoutes(showtimes, config.cacheMaxEntries));
  site.use(openapiRoutes());
  site.use(languageRoutes(base, config.secretKey));
  site.use(seoFiles({ store, clock: deps.clock, basePath: base, origin }));
  site.use('/static', staticFiles(publicDir));
  if (base) site.use(healthRoutes(config.port, store.kind));
  app.use(base || '/', site);

  app.use(notFoundHandler);
  app.use(errorHandler({ basePath: base, secret: config.secretKey, log, render, context }));
  return app;
}
