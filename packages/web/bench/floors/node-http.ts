// Floor: a bare node:http server sending the site's bytes, compressed as they were, from memory.
import { createServer } from 'node:http';
import { floorArgs } from './manifest.ts';

const { routes, port, host } = floorArgs();
const byPath = new Map(
  routes.map(({ path, contentType, contentEncoding, body }) => [
    path,
    {
      body,
      headers: {
        'content-type': contentType,
        'content-length': body.length,
        ...(contentEncoding ? { 'content-encoding': contentEncoding, vary: 'Accept-Encoding' } : {}),
      },
    },
  ]),
);
createServer((req, res) => {
  const route = byPath.get(req.url ?? '');
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, route.headers);
  res.end(route.body);
}).listen(port, host);
