import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localIso } from '../../src/domain/time.ts';
import type { FakeCity } from './fake-city.ts';

/** One page a fixture cinema site serves. */
export type SitePage =
  | { html: string; etag?: boolean; contentType?: string }
  | { redirect: string; status?: number }
  | { hugeBytes: number };

export interface CinemaSites {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Sets (or replaces) what a path serves; a page's ETag follows its content. */
  serve(path: string, page: SitePage): void;
  /** Requests received, in order, with the headers that matter. */
  readonly requests: { path: string; userAgent?: string; ifNoneMatch?: string }[];
  close(): Promise<void>;
}

const etagOf = (html: string) => `"${createHash('sha256').update(html).digest('hex').slice(0, 16)}"`;

function answer(page: SitePage | undefined, req: IncomingMessage, res: ServerResponse): void {
  if (!page) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  if ('redirect' in page) {
    res.writeHead(page.status ?? 302, { location: page.redirect }).end();
    return;
  }
  if ('hugeBytes' in page) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    const chunk = Buffer.alloc(64 * 1024, '<p>x</p>\n');
    let sent = 0;
    const pump = () => {
      while (sent < page.hugeBytes && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
    return;
  }
  const headers: Record<string, string> = { 'content-type': page.contentType ?? 'text/html; charset=utf-8' };
  if (page.etag) {
    const etag = etagOf(page.html);
    headers.etag = etag;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
  }
  res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : page.html);
}

/** Cinema websites on loopback for the page-reading tests and benchmark: pages, ETags, redirects, robots.txt. */
export async function startCinemaSites(pages: Record<string, SitePage> = {}): Promise<CinemaSites> {
  const routes = new Map(Object.entries(pages));
  const requests: CinemaSites['requests'] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://fixture').pathname;
    requests.push({
      path,
      ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
      ...(typeof req.headers['if-none-match'] === 'string' ? { ifNoneMatch: req.headers['if-none-match'] } : {}),
    });
    answer(routes.get(path), req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve: (path, page) => routes.set(path, page),
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A showing on a server-rendered schedule page. */
export interface PageShowing {
  film: string;
  day: string;
  time: string;
  format: string;
  bookingPath: string;
}

/**
 * A server-rendered schedule page as Ukrainian cinemas publish them: a block per day (`data-date`), a card per
 * film (with its `synopsis` when given), its times as links to the booking page; navigation, a cookie banner and
 * a footer around it.
 */
export function serverRenderedPage(cinema: string, showings: readonly PageShowing[], synopsis = ''): string {
  const days = [...new Set(showings.map((showing) => showing.day))].sort();
  const blocks = days.map((day) => {
    const ofDay = showings.filter((showing) => showing.day === day);
    const films = [...new Set(ofDay.map((showing) => showing.film))];
    const cards = films.map((film) => {
      const links = ofDay
        .filter((showing) => showing.film === film)
        .map((s) => `<a class="session" href="${s.bookingPath}">${s.time}</a> <span class="format">${s.format}</span>`)
        .join('\n          ');
      const about = synopsis ? `\n        <p class="synopsis">${synopsis}</p>` : '';
      return `      <article class="film-card">\n        <h3>${film}</h3>${about}\n        <div class="times">\n          ${links}\n        </div>\n      </article>`;
    });
    return `    <section class="day" data-date="${day}">\n      <h2>${day}</h2>\n${cards.join('\n')}\n    </section>`;
  });
  return `<!doctype html>
<html lang="uk"><head><meta charset="utf-8"><title>${cinema} — розклад сеансів</title>
<style>.day{margin:1rem}</style><script>window.dataLayer=[];</script></head>
<body>
  <header><nav><a href="/">Головна</a> <a href="/films">Фільми</a> <a href="/contacts">Контакти</a></nav></header>
  <div class="cookie-banner">Ми використовуємо cookies. <button>Гаразд</button></div>
  <main id="schedule">
    <h1>${cinema}: розклад сеансів</h1>
${blocks.join('\n')}
  </main>
  <footer>© ${cinema}. Усі права захищені. Телефон: 044 000 00 00</footer>
</body></html>
`;
}

/** A chain's page as the big ones publish it: the schedule only in JSON-LD `ScreeningEvent`s, rendered by script. */
export function jsonLdPage(cinema: string, showings: readonly PageShowing[], timeZone: string): string {
  const events = showings.map((showing) => ({
    '@type': 'ScreeningEvent',
    startDate: localIso(showing.day, showing.time, timeZone),
    videoFormat: showing.format,
    location: { '@type': 'MovieTheater', name: cinema },
    workPresented: { '@type': 'Movie', name: showing.film },
    offers: { '@type': 'Offer', url: showing.bookingPath },
  }));
  const graph = JSON.stringify({ '@context': 'https://schema.org', '@graph': events });
  return `<!doctype html>
<html lang="uk"><head><meta charset="utf-8"><title>${cinema}</title>
<script type="application/ld+json">${graph}</script></head>
<body><div id="app">Завантаження…</div><script src="/app.js"></script></body></html>
`;
}

/** What a fake city's cinema shows on `days`, as its page lists it. */
export function cityShowings(city: FakeCity, theaterIndex: number, days: string[]): PageShowing[] {
  const theater = city.theaters[theaterIndex];
  return city.movies.flatMap((movie, movieIndex) =>
    city
      .showtimes(movieIndex, days)
      .filter((showing) => showing.theater === theater?.name)
      .map((showing) => ({
        film: movie.titleUk,
        day: showing.date,
        time: showing.time,
        format: showing.format,
        bookingPath: `/book/${theaterIndex}/${movieIndex}/${showing.date}/${showing.time.replace(':', '')}`,
      })),
  );
}
