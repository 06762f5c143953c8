import type { Document, Element } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';
import { dateTimeFormat } from '../../domain/time.ts';
import { webLink } from './web-link.ts';

/**
 * schema.org `ScreeningEvent`s on a schedule page, in JSON-LD or microdata, as showings in the item shape of a
 * showtimes answer. What they say is checked again downstream like any answer (days, zone, links).
 */

/** One showing, shaped like an item of a showtimes answer. */
export interface ShowingItem {
  film: string;
  /** The cinema the event names (`location`), when it names one. */
  theater: string | null;
  date: string;
  time: string;
  format: string | null;
  language: string | null;
  subtitles: string | null;
  bookingUrl: string | null;
}

/** A film as the page's `Movie` describes it. */
export interface StructuredFilm {
  title: string;
  originalTitle?: string;
  posterUrl?: string;
  durationMin?: number;
  genres?: string[];
  ageRating?: string;
}

export interface StructuredSchedule {
  showings: ShowingItem[];
  films: StructuredFilm[];
  /** The distinct cinemas the showings name: a chain's page may list several. */
  theaters: string[];
}

type Node = Record<string, unknown>;

/** Nesting deeper than this is not followed: no real schedule needs it, and hostile pages may nest without end. */
const MAX_DEPTH = 16;
const START = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function structuredSchedule(html: string, pageUrl: string, timeZone: string): StructuredSchedule {
  const document = parseDocument(html);
  const nodes = [...jsonLdNodes(document), ...microdataNodes(document)];
  const events = nodes.flatMap((node) => ofType(node, 'ScreeningEvent'));
  const showings: ShowingItem[] = [];
  const films = new Map<string, StructuredFilm>();
  for (const event of events) {
    const movie = firstNode(event.workPresented);
    const film = text(movie?.name) ?? text(event.workPresented) ?? text(event.name);
    const start = startOf(text(event.startDate), timeZone);
    if (!film || !start) continue;
    showings.push({
      film,
      theater: text(firstNode(event.location)?.name) ?? text(event.location),
      ...start,
      format: text(event.videoFormat),
      language: languageOf(event.inLanguage),
      subtitles: languageOf(event.subtitleLanguage),
      bookingUrl: linkOf(firstNode(event.offers)?.url ?? event.url, pageUrl),
    });
    if (movie && !films.has(film)) films.set(film, filmOf(film, movie, pageUrl));
  }
  const theaters = [...new Set(showings.map((showing) => showing.theater).filter((name) => name !== null))];
  return { showings, films: [...films.values()], theaters };
}

/** Every JSON-LD block, each parsed on its own: one broken block does not hide the others. */
function jsonLdNodes(document: Document): unknown[] {
  const scripts = DomUtils.findAll(
    (element) => element.name === 'script' && element.attribs.type?.trim().toLowerCase() === 'application/ld+json',
    document.children,
  );
  return scripts.flatMap((script) => {
    try {
      return [JSON.parse(DomUtils.textContent(script)) as unknown];
    } catch {
      return [];
    }
  });
}

/** Microdata items (`itemscope` / `itemtype` / `itemprop`) turned into the same shape as JSON-LD. */
function microdataNodes(document: Document): Node[] {
  const roots = DomUtils.findAll(
    (element) => 'itemscope' in element.attribs && !('itemprop' in element.attribs),
    document.children,
  );
  return roots.map(itemOf);
}

function itemOf(scope: Element): Node {
  const item: Node = { '@type': scope.attribs.itemtype ?? '' };
  const visit = (elements: Element[]) => {
    for (const element of elements) {
      const names = element.attribs.itemprop?.trim().split(/\s+/) ?? [];
      const nested = 'itemscope' in element.attribs;
      for (const name of names) {
        const value = nested ? itemOf(element) : propertyValue(element);
        const before = item[name];
        item[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
      }
      if (!nested) visit(DomUtils.getChildren(element).filter(isElement));
    }
  };
  visit(DomUtils.getChildren(scope).filter(isElement));
  return item;
}

function propertyValue(element: Element): string {
  const { attribs } = element;
  if (element.name === 'meta') return attribs.content ?? '';
  if (['a', 'link', 'area'].includes(element.name)) return attribs.href ?? '';
  if (['img', 'source', 'video', 'audio'].includes(element.name)) return attribs.src ?? '';
  if (element.name === 'time' && attribs.datetime) return attribs.datetime;
  if (element.name === 'data' || element.name === 'meter') return attribs.value ?? '';
  return DomUtils.textContent(element).trim();
}

function isElement(node: unknown): node is Element {
  return DomUtils.isTag(node as Element);
}

/** The objects of a type anywhere in a JSON-LD value: `@graph`, lists, `event`, `subEvent` and the like. */
function ofType(value: unknown, type: string, depth = 0, found: Node[] = []): Node[] {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return found;
  if (Array.isArray(value)) {
    for (const entry of value) ofType(entry, type, depth + 1, found);
    return found;
  }
  const node = value as Node;
  if (typesOf(node).includes(type)) found.push(node);
  for (const [key, entry] of Object.entries(node)) {
    if (key !== '@context') ofType(entry, type, depth + 1, found);
  }
  return found;
}

/** `@type` as bare names: `ScreeningEvent`, `https://schema.org/ScreeningEvent` and `schema:ScreeningEvent` alike. */
function typesOf(node: Node): string[] {
  const raw = node['@type'];
  const types = Array.isArray(raw) ? raw : [raw];
  return types
    .filter((type): type is string => typeof type === 'string')
    .map((type) => type.split(/[/:#]/).pop() ?? '');
}

function firstNode(value: unknown): Node | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? (first as Node) : undefined;
}

function text(value: unknown): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'number') return String(first);
  if (typeof first === 'string') return first.trim() || null;
  const node = firstNode(first);
  return node && typeof node['@value'] === 'string' ? node['@value'].trim() || null : null;
}

function texts(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(text).filter((entry) => entry !== null);
}

/** A language as a code or name: `uk`, `{ "name": "English" }`, `{ "alternateName": "en" }`. */
function languageOf(value: unknown): string | null {
  const node = firstNode(value);
  return node ? (text(node.alternateName) ?? text(node.name)) : text(value);
}

/** The local day and time of a start, in the city's zone when the page gives an offset. */
function startOf(value: string | null, timeZone: string): { date: string; time: string } | null {
  const match = value ? START.exec(value) : null;
  if (!match) return null;
  const [, day, hour, minute, offset] = match as unknown as [string, string, string, string, string | undefined];
  if (!offset) return { date: day, time: `${hour}:${minute}` };
  const instant = new Date(
    `${day}T${hour}:${minute}:00${offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset}`,
  );
  if (Number.isNaN(instant.getTime())) return null;
  const parts = dateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((entry) => entry.type === type)?.value ?? '';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, time: `${part('hour')}:${part('minute')}` };
}

function linkOf(value: unknown, pageUrl: string): string | null {
  const href = text(value) ?? text(firstNode(value)?.url);
  return (href && webLink(href, pageUrl)?.href) || null;
}

function filmOf(title: string, movie: Node, pageUrl: string): StructuredFilm {
  const originalTitle = text(movie.alternateName);
  const posterUrl = linkOf(firstNode(movie.image)?.url ?? movie.image, pageUrl);
  const durationMin = minutesOf(text(movie.duration));
  const genres = texts(movie.genre);
  const ageRating = text(firstNode(movie.contentRating)?.name) ?? text(movie.contentRating);
  return {
    title,
    ...(originalTitle && originalTitle !== title ? { originalTitle } : {}),
    ...(posterUrl ? { posterUrl } : {}),
    ...(durationMin ? { durationMin } : {}),
    ...(genres.length > 0 ? { genres } : {}),
    ...(ageRating ? { ageRating } : {}),
  };
}

/** `PT1H52M` or `112` as minutes. */
function minutesOf(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:\d+S)?$/i.exec(value);
  if (!match || (!match[1] && !match[2])) return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}
