import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import { negotiateLang } from '../i18n/index.ts';
import { edgePage } from '../views/edge-page.ts';

/** The longest URL the site reads; Node's own limit, 16 KiB for the request line and headers, is above it. */
export const MAX_URL_LENGTH = 8 * 1024;

/** A URL longer than MAX_URL_LENGTH gets a short localized 414 page. */
export function urlLengthLimit(basePath: string): RequestHandler {
  return (req, res, next) => {
    if (req.originalUrl.length <= MAX_URL_LENGTH) return next();
    const lang = negotiateLang(req.get('accept-language'));
    res.status(414).set({ 'Cache-Control': 'no-store', Connection: 'close' }).type('html');
    res.send(edgePage(lang, 414, `${basePath}/${lang}/`));
  };
}

/** 414 when the request line alone passes the limit, else 431 (headers; most often cookies grown too big). */
export function overflowStatus(rawPacket: Buffer | undefined): 414 | 431 {
  const head = rawPacket?.subarray(0, MAX_URL_LENGTH + 64).toString('latin1') ?? '';
  const lineEnd = head.indexOf('\r\n');
  return lineEnd === -1 || lineEnd > MAX_URL_LENGTH ? 414 : 431;
}

function acceptLanguage(rawPacket: Buffer | undefined): string | undefined {
  return /\r\naccept-language:[ \t]*([^\r\n]{1,200})/i.exec(rawPacket?.toString('latin1') ?? '')?.[1];
}

/**
 * Answers requests Node cannot parse with a short localized page instead of its bare, empty 431: oversized
 * headers or URL get 431 or 414, anything else malformed 400. The connection is closed after the answer.
 */
export function answerClientErrors(server: Server, basePath: string): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (error.code !== 'HPE_HEADER_OVERFLOW') {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const status = overflowStatus(error.rawPacket);
    const lang = negotiateLang(acceptLanguage(error.rawPacket));
    const body = Buffer.from(edgePage(lang, status, `${basePath}/${lang}/`));
    const reason = status === 414 ? 'URI Too Long' : 'Request Header Fields Too Large';
    socket.end(
      Buffer.concat([
        Buffer.from(
          `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${body.length}\r\n` +
            'Cache-Control: no-store\r\nConnection: close\r\n\r\n',
        ),
        body,
      ]),
    );
  });
}
