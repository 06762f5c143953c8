import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { viewsDir } from '../paths.ts';

export type PageName = 'home' | 'city' | 'cinema' | 'film' | 'search' | 'error';

/** Compiles every page and partial once; `render` fills a page into the layout. */
export function loadViews(dir = viewsDir): (page: PageName, data: object) => string {
  const handlebars = Handlebars.create();
  const compile = (file: string) => handlebars.compile(readFileSync(file, 'utf8'), { strict: true, noEscape: false });
  const partialsDir = join(dir, 'partials');
  for (const file of readdirSync(partialsDir)) {
    handlebars.registerPartial(basename(file, '.hbs'), readFileSync(join(partialsDir, file), 'utf8'));
  }
  const layout = compile(join(dir, 'layout.hbs'));
  const pages = Object.fromEntries(
    (['home', 'city', 'cinema', 'film', 'search', 'error'] as const).map((page) => [
      page,
      compile(join(dir, `${page}.hbs`)),
    ]),
  ) as Record<PageName, Handlebars.TemplateDelegate>;
  return (page, data) => layout({ ...data, body: pages[page](data) });
}
