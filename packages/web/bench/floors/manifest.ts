import { readFileSync } from 'node:fs';

/** One route a floor server answers: the exact bytes and content type the site sent for `path`. */
export interface FloorRoute {
  path: string;
  contentType: string;
  /** The body's Content-Encoding (`br`, `gzip`), when the site compressed it. */
  contentEncoding?: string;
  /** File holding the response body, as it went over the wire. */
  file: string;
}

export interface LoadedRoute {
  path: string;
  contentType: string;
  contentEncoding?: string;
  body: Buffer;
}

/** Reads `node floors/<name>.ts <manifest.json> <port>` arguments; bodies are loaded into memory once. */
export function floorArgs(): { routes: LoadedRoute[]; port: number; host: string } {
  const [manifestFile, port] = process.argv.slice(2);
  if (!manifestFile || !port) throw new Error('usage: node floors/<name>.ts <manifest.json> <port>');
  const routes = (JSON.parse(readFileSync(manifestFile, 'utf8')) as FloorRoute[]).map((route) => ({
    path: route.path,
    contentType: route.contentType,
    contentEncoding: route.contentEncoding,
    body: readFileSync(route.file),
  }));
  return { routes, port: Number(port), host: '127.0.0.1' };
}
