import type { MessageKey } from '../i18n/index.ts';

/** An error meant for the visitor: an HTTP status and a catalog message, rendered in their language. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageKey: MessageKey;
  readonly vars: Record<string, string | number>;

  constructor(status: number, code: string, messageKey: MessageKey, vars: Record<string, string | number> = {}) {
    super(`${status} ${code}`);
    this.status = status;
    this.code = code;
    this.messageKey = messageKey;
    this.vars = vars;
  }
}

export const notFound = () => new HttpError(404, 'not_found', 'error.notFound');
export const cityNotFound = (slug: string) => new HttpError(404, 'city_not_found', 'error.cityNotFound', { slug });
