import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { negotiateLang } from '../i18n/index.ts';
import { edgePage } from '../views/edge-page.ts';

/**
 * Node reads at most 16 KiB of request line and headers. When that overflows, a request line longer than
 * this is taken as the cause (414); otherwise the headers are (431).
 */
export const LONG_REQUEST_LINE = 8 * 1024;

/** 414 when the request line alone passes the limit, else 431 (headers; most often cookies grown too big). */
export function overflowStatus(rawPacket: Buffer | undefined): 414 | 431 {
  const head = rawPacket?.subarray(0, LONG_REQUEST_LINE + 64).toString('latin1') ?? '';
  const lineEnd = head.indexOf('\r\n');
  return lineEnd === -1 || lineEnd > LONG_REQUEST_LINE ? 414 : 431;
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
