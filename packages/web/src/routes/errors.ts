import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Lang } from '../domain/model.ts';
import { isLang, t } from '../i18n/index.ts';
import type { Logger } from '../log.ts';
import type { PageContext } from '../views/pages.ts';
import { errorPage, VISITORS_MARK } from '../views/pages.ts';
import type { PageName } from '../views/render.ts';
import { HttpError, notFound } from './http-error.ts';
import { preferredLang } from './language.ts';

/** The language of the page that failed: from its URL when it has one, else the visitor's preference. */
function errorLang(req: Request, basePath: string, secret: string): Lang {
  const first = req.originalUrl.slice(basePath.length).split(/[/?]/)[1];
  return isLang(first) ? first : preferredLang(req, secret);
}

export const notFoundHandler: RequestHandler = () => {
  throw notFound();
};

/** The one error handler: JSON for the API, a localized page otherwise; a stack trace only reaches the log. */
export function errorHandler(deps: {
  basePath: string;
  secret: string;
  log: Logger;
  render: (page: PageName, data: object) => string;
  context: (req: Request, lang: Lang) => PageContext;
}): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = asHttpError(error);
    if (known.status >= 500) {
      deps.log.error('request failed', {
        url: req.originalUrl,
        error: error instanceof Error ? error.stack : String(error),
      });
    }
    if (res.headersSent) return;
    const lang = errorLang(req, deps.basePath, deps.secret);
    const message = t(lang, known.messageKey, known.vars);
    res.status(known.status).set('Cache-Control', 'no-store');
    if (req.originalUrl.startsWith(`${deps.basePath}/api/`)) {
      res.json({ error: { status: known.status, code: known.code, message } });
    } else {
      const html = deps.render('error', errorPage(deps.context(req, lang), known.status, message));
      res.type('html').send(html.replace(VISITORS_MARK, '—'));
    }
  };
}

/** Ours as they are; 4xx errors that Express itself raises (a malformed URI, say) as a 400 or 404; anything else is a 500. */
function asHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 404) return notFound();
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new HttpError(400, 'bad_request', 'error.badRequest');
  return new HttpError(500, 'server_error', 'error.server');
}
