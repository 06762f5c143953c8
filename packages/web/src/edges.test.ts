import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientErrors } from './routes/edges.ts';

/** Sends `request` as raw bytes and reads the whole answer (the server closes the connection). */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}

describe('requests too large for Node to read', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    answerClientErrors(server, '/cinestream');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('get a short localized 431 page for oversized headers', async () => {
    const cookie = `cs=${'x'.repeat(20_000)}`;
    const answer = await rawExchange(
      port,
      `GET /uk/ HTTP/1.1\r\nHost: a\r\nAccept-Language: en-GB,en;q=0.9\r\nCookie: ${cookie}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(answer).toContain('Content-Type: text/html; charset=utf-8');
    expect(answer).toContain('<html lang="en">');
    expect(answer).toContain('Request headers too large');
    expect(answer).toContain('href="/cinestream/en/"');
  });

  it('get a 414 page when the URL is what is too long, in Ukrainian by default', async () => {
    const answer = await rawExchange(port, `GET /uk/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 414 URI Too Long\r\n/);
    expect(answer).toContain('<html lang="uk">');
    expect(answer).toContain('Задовга адреса');
  });

  it('get a plain 400 when malformed in another way', async () => {
    expect(await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});
