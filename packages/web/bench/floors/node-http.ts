// Floor: a bare node:http server sending the site's bytes from memory.
import { createServer } from 'node:http';
import { floorArgs } from './manifest.ts';

const { routes, port, host } = floorArgs();
const byPath = new Map(
  routes.map(({ path, contentType, body }) => [
    path,
    { body, headers: { 'content-type': contentType, 'content-length': body.length } },
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
