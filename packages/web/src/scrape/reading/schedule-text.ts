import { convert, type DomNode, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';
import { webLink } from './web-link.ts';

/**
 * A schedule page as compact text for the model: its main part only (navigation, header, footer, forms, scripts
 * and styles dropped), headings marked `#`, each day block marked `[YYYY-MM-DD]` where the page dates it, and
 * times that link to booking written `19:30 </book/1>` (a path on the page's own site) so the model can give the link.
 */

export interface ScheduleText {
  text: string;
  /** The text shows at least a few clock times: there is a schedule to read. */
  hasTimes: boolean;
  /** The page was longer than `maxChars`: its text ends before the page does. */
  cut: boolean;
}

/** About 20k tokens of Cyrillic text: three weeks of a multiplex, far less than a whole page's HTML. */
export const MAX_TEXT_CHARS = 60_000;
const MIN_TIMES = 3;
const CLOCK = /\b(?:[01]\d|2[0-3])[:.][0-5]\d\b/g;
const DATE = /^\d{4}-\d{2}-\d{2}/;

/** Where a schedule is, most specific first; the first match is read, else the whole body. */
const MAIN_PARTS = ['#schedule', '[data-schedule]', '.schedule', 'main', '[role=main]', '#content', 'body'];
const DROPPED = [
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'noscript',
  'template',
  'svg',
  'iframe',
  'img',
  '[hidden]',
  '[aria-hidden=true]',
  '[role=navigation]',
  '[role=banner]',
  '[role=contentinfo]',
  '.cookie-banner',
  '.cookies',
];

const heading =
  (level: number): FormatCallback =>
  (element, walk, builder) => {
    builder.openBlock({ leadingLineBreaks: 2 });
    builder.addInline(`${'#'.repeat(level)} `);
    walk(element.children, builder);
    builder.closeBlock({ trailingLineBreaks: 1 });
  };

/** A block dated by `data-date` starts with its day. */
const datedBlock: FormatCallback = (element, walk, builder) => {
  const day = DATE.exec(String(element.attribs?.['data-date'] ?? ''))?.[0];
  builder.openBlock({ leadingLineBreaks: 2 });
  if (day) builder.addInline(`[${day}]`);
  builder.closeBlock({ trailingLineBreaks: 1 });
  walk(element.children, builder);
};

/** `<time datetime="2026-12-03T19:30">` keeps its day when the text alone would lose it. */
const timeElement: FormatCallback = (element, walk, builder) => {
  const day = DATE.exec(String(element.attribs?.datetime ?? ''))?.[0];
  const shown = textOf(element);
  if (day && !shown.includes(day)) builder.addInline(`[${day}]`);
  walk(element.children, builder);
};

function textOf(node: DomNode): string {
  return node.type === 'text' ? (node.data ?? '') : node.children.map(textOf).join('');
}

export function scheduleText(html: string, pageUrl: string, maxChars = MAX_TEXT_CHARS): ScheduleText {
  /** A link keeps its address only when it is a showtime: booking links are what the model needs. */
  const link: FormatCallback = (element, walk, builder) => {
    walk(element.children, builder);
    const shown = textOf(element).trim();
    const href = linkOf(String(element.attribs?.href ?? ''), pageUrl);
    if (href && /^(?:[01]?\d|2[0-3])[:.][0-5]\d$/.test(shown)) builder.addInline(` <${href}>`);
  };
  const options: HtmlToTextOptions = {
    wordwrap: false,
    baseElements: { selectors: MAIN_PARTS, orderBy: 'selectors', returnDomByDefault: true },
    limits: { maxBaseElements: 1 },
    formatters: {
      heading1: heading(1),
      heading2: heading(2),
      heading3: heading(3),
      heading4: heading(4),
      datedBlock,
      timeElement,
      link,
    },
    selectors: [
      ...DROPPED.map((selector) => ({ selector, format: 'skip' })),
      { selector: 'h1', format: 'heading1' },
      { selector: 'h2', format: 'heading2' },
      { selector: 'h3', format: 'heading3' },
      { selector: 'h4', format: 'heading4' },
      { selector: '[data-date]', format: 'datedBlock' },
      { selector: 'time', format: 'timeElement' },
      { selector: 'a', format: 'link' },
      { selector: 'ul', options: { itemPrefix: ' - ' } },
      { selector: 'table', format: 'dataTable' },
    ],
  };
  const lines = compact(convert(html, options));
  const text = cutText(lines, maxChars);
  return { text, hasTimes: (text.match(CLOCK)?.length ?? 0) >= MIN_TIMES, cut: text.endsWith(CUT_MARK) };
}

/** Blank runs squeezed, and a line said again right after itself (a repeated banner, a sticky bar) dropped. */
function compact(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[ \t\u00a0]+/g, ' ').trim();
    if (line === '' && (lines.length === 0 || lines.at(-1) === '')) continue;
    if (line !== '' && line === lines.at(-1)) continue;
    lines.push(line);
  }
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

const CUT_MARK = '[the rest of the page is cut]';

/** The first `maxChars` of the text, cut at a line end. */
function cutText(lines: readonly string[], maxChars: number): string {
  let length = 0;
  const kept: string[] = [];
  for (const line of lines) {
    if (length + line.length + 1 > maxChars) {
      kept.push(CUT_MARK);
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}

/**
 * A link as the model is shown it: a path when it stays on the page's site (fewer tokens in and out; the answer's
 * links are resolved against the page again), else the whole http(s) URL.
 */
function linkOf(href: string, pageUrl: string): string | null {
  const url = webLink(href, pageUrl);
  if (!url) return null;
  return url.origin === new URL(pageUrl).origin ? `${url.pathname}${url.search}` : url.href;
}
