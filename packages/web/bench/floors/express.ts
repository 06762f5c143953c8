// Floor: a bare Express 5 app (default settings) sending the site's bytes, compressed as they were, from memory.
import express from 'express';
import { floorArgs } from './manifest.ts';

const { routes, port, host } = floorArgs();
const app = express();
for (const { path, contentType, contentEncoding, body } of routes) {
  app.get(path, (_req, res) => {
    if (contentEncoding) res.set({ 'Content-Encoding': contentEncoding, Vary: 'Accept-Encoding' });
    res.type(contentType).send(body);
  });
}
app.listen(port, host, (error?: Error) => {
  if (error) throw error;
});
