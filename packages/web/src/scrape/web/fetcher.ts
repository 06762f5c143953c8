import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, STATUS_CODES } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type AddressPolicy, checkUrl, ipLiteral } from './address.ts';
import { contentTypeOf, decodeText } from './charset.ts';
import { HostQueue } from './host-queue.ts';
import { type RobotsAnswer, RobotsCache } from './robots.ts';
import { RefusedAddressError, resolveChecked, safeLookup } from './safe-lookup.ts';

export interface PageValidators {
  etag?: string;
  lastModified?: string;
}

export type PageFailureCode =
  | 'url'
  | 'address'
  | 'robots'
  | 'redirects'
  | 'status'
  | 'type'
  | 'too-large'
  | 'timeout'
  | 'network';

export type PageResult =
  | {
      kind: 'page';
      finalUrl: string;
      contentType: 'html' | 'json' | 'text';
      body: string;
      hash: string;
      validators: PageValidators;
    }
  | { kind: 'not-modified'; finalUrl: string; validators: PageValidators }
  | { kind: 'failed'; code: PageFailureCode; reason: string };

export interface PageFetcher {
  fetch(url: string, validators?: PageValidators): Promise<PageResult>;
}

export interface PageFetcherOptions {
  /** Sent on every request (page and robots.txt). */
  userAgent: string;
  connectTimeoutMs?: number;
  /** The whole request, redirects and body included. */
  totalTimeoutMs?: number;
  /** On the decoded body. */
  maxBytes?: number;
  maxRedirects?: number;
  /** 1 or 2; anything else is a RangeError. */
  perHostConcurrency?: number;
  perHostDelayMs?: number;
  robotsTtlMs?: number;
  /** Tests only; no env var or config may set it. */
  allowLoopback?: boolean;
}

type Failure = Extract<PageResult, { kind: 'failed' }>;
type ContentKind = 'html' | 'json' | 'text';

const ACCEPT = 'text/html,application/xhtml+xml,application/json;q=0.9,text/plain;q=0.8';
const ACCEPT_ENCODING = 'gzip, deflate, br';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CONTENT_KINDS = new Map<string, ContentKind>([
  ['text/html', 'html'],
  ['application/xhtml+xml', 'html'],
  ['application/json', 'json'],
  ['application/ld+json', 'json'],
  ['text/plain', 'text'],
]);
/** RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt; what is past the limit is dropped. */
const ROBOTS_MAX_BYTES = 512 * 1024;

/** Fetches cinemas' pages: robots.txt obeyed, public addresses only, politely per host, bounded in time and size. */
export function createPageFetcher(options: PageFetcherOptions): PageFetcher {
  const settings = {
    userAgent: options.userAgent,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    totalTimeoutMs: options.totalTimeoutMs ?? 15_000,
    maxBytes: options.maxBytes ?? 2 * 1024 * 1024,
    maxRedirects: options.maxRedirects ?? 5,
    policy: { allowLoopback: options.allowLoopback === true } satisfies AddressPolicy,
  };
  const queue = new HostQueue({
    concurrency: options.perHostConcurrency ?? 1,
    delayMs: options.perHostDelayMs ?? 1_000,
  });
  const walker = new Walker(settings, queue);
  const robots = new RobotsCache({ load: (robotsUrl) => walker.robots(robotsUrl), ttlMs: options.robotsTtlMs });
  return {
    async fetch(url, validators) {
      try {
        return await walker.page(url, validators ?? {}, robots);
      } catch (error) {
        return failed('network', `${url} could not be fetched: ${messageOf(error)}`);
      }
    },
  };
}

interface Settings {
  userAgent: string;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  policy: AddressPolicy;
}

/** What one request came to: an answer for the caller, a redirect to follow, or a failure. */
type Step<T> = { kind: 'done'; value: T } | { kind: 'redirect'; location: string } | Failure | Refused;

/** The connection was refused after DNS: `problem` says why ("resolves to 10.0.0.7, a private address"). */
interface Refused {
  kind: 'refused';
  problem: string;
}

/** Follows a URL through its redirects, each hop checked and queued, within one time budget. */
class Walker {
  readonly #settings: Settings;
  readonly #queue: HostQueue;

  constructor(settings: Settings, queue: HostQueue) {
    this.#settings = settings;
    this.#queue = queue;
  }

  async page(start: string, validators: PageValidators, robots: RobotsCache): Promise<PageResult> {
    const headers: OutgoingHttpHeaders = {
      'user-agent': this.#settings.userAgent,
      accept: ACCEPT,
      'accept-encoding': ACCEPT_ENCODING,
      ...(validators.etag ? { 'if-none-match': validators.etag } : {}),
      ...(validators.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
    };
    const walked = await this.#walk(start, robots, (url, timeoutMs) =>
      this.#exchange(url, headers, timeoutMs, (response, read) =>
        pageOf(url, response, read, validators, this.#settings),
      ),
    );
    return walked.kind === 'failed' ? walked : walked.value;
  }

  async robots(robotsUrl: URL): Promise<RobotsAnswer> {
    const headers = {
      'user-agent': this.#settings.userAgent,
      accept: 'text/plain',
      'accept-encoding': ACCEPT_ENCODING,
    };
    const walked = await this.#walk(robotsUrl.href, undefined, (url, timeoutMs) =>
      this.#exchange(url, headers, timeoutMs, robotsOf),
    );
    return walked.kind === 'done' ? walked.value : walked;
  }

  async #walk<T>(
    start: string,
    robots: RobotsCache | undefined,
    step: (url: URL, timeoutMs: number) => Promise<Step<T>>,
  ): Promise<{ kind: 'done'; value: T } | Failure> {
    const { maxRedirects, policy, totalTimeoutMs } = this.#settings;
    let target = start;
    let from: URL | undefined;
    let spentMs = 0;
    for (let redirects = 0; ; redirects++) {
      const checked = checkUrl(target, policy);
      if (!checked.ok) return failed(checked.code, refusalReason(checked.shown, checked.problem, from));
      const { url } = checked;
      const resolved = await this.#resolve(url);
      if (resolved?.kind === 'refused') return failed('address', refusalReason(url.href, resolved.problem, from));
      if (resolved) return resolved;
      if (robots) {
        const verdict = await robots.check(url);
        if (!verdict.allowed) return failed(verdict.code, verdict.reason);
      }
      const outcome = await this.#queue.run(url, async () => {
        const began = performance.now();
        try {
          return await step(url, totalTimeoutMs - spentMs);
        } finally {
          spentMs += performance.now() - began;
        }
      });
      if (outcome.kind === 'refused') return failed('address', refusalReason(url.href, outcome.problem, from));
      if (outcome.kind !== 'redirect') return outcome;
      if (redirects === maxRedirects) {
        return failed('redirects', `${start} redirected more than ${maxRedirects} times; stopped at ${url.href}`);
      }
      from = url;
      target = URL.parse(outcome.location, url.href)?.href ?? outcome.location;
    }
  }

  /**
   * Refuses a host name that resolves to an address not allowed before anything is asked of it, robots.txt
   * included. The connection checks again (`safeLookup`): this is for the reason, that is the guarantee.
   */
  #resolve(url: URL): Promise<Failure | Refused | undefined> {
    if (ipLiteral(url) !== undefined) return Promise.resolve(undefined);
    const { connectTimeoutMs, policy } = this.#settings;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve(failed('timeout', `${url.hostname} did not resolve within ${duration(connectTimeoutMs)}`)),
        connectTimeoutMs,
      );
      resolveChecked(url.hostname, {}, policy, (error) => {
        clearTimeout(timer);
        resolve(error ? stepOfError(error, url) : undefined);
      });
    });
  }

  /**
   * One GET, connected only to addresses that pass the policy, bounded by the connect timeout and `timeoutMs`.
   * `handle` gets the response and a reader of its body; the connection is closed once it is done.
   */
  #exchange<T>(
    url: URL,
    headers: OutgoingHttpHeaders,
    timeoutMs: number,
    handle: (response: IncomingMessage, read: BodyReader) => Promise<Step<T>>,
  ): Promise<Step<T>> {
    const { connectTimeoutMs, policy, totalTimeoutMs } = this.#settings;
    if (timeoutMs <= 0) {
      return Promise.resolve(failed('timeout', `no answer from ${url.host} within ${duration(totalTimeoutMs)}`));
    }
    return new Promise((resolve) => {
      let cause: Failure | undefined;
      let phase: 'connect' | 'answer' | 'body' = 'connect';
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(url, { headers, agent: false, lookup: safeLookup(policy) });
      const stop = (failure: Failure) => {
        cause ??= failure;
        request.destroy(new Error(failure.reason));
      };
      const total = setTimeout(() => {
        const limit = duration(totalTimeoutMs);
        const reason =
          phase === 'body'
            ? `${url.host} did not finish sending ${url.href} within ${limit}`
            : `no answer from ${url.host} within ${limit}`;
        stop(failed('timeout', reason));
      }, timeoutMs);
      const close = () => {
        clearTimeout(total);
        request.destroy();
      };
      request.once('socket', (socket) => {
        const connect = setTimeout(
          () => stop(failed('timeout', `could not connect to ${url.host} within ${duration(connectTimeoutMs)}`)),
          connectTimeoutMs,
        );
        socket.once('connect', () => {
          phase = 'answer';
          clearTimeout(connect);
        });
        socket.once('close', () => clearTimeout(connect));
      });
      // Once there is a response, `handle` settles the exchange; a later error surfaces in its body read.
      request.on('error', (error) => {
        close();
        if (phase !== 'body') resolve(cause ?? stepOfError(error, url));
      });
      request.once('response', (response) => {
        phase = 'body';
        // A body that is not read may still error as the connection closes; a read one reports it below.
        response.on('error', () => {});
        const read: BodyReader = async (maxBytes, overflow) => {
          try {
            return await readBody(response, maxBytes, overflow, url);
          } catch (error) {
            return cause ?? failed('network', `${url.href} broke off: ${messageOf(error)}`);
          } finally {
            close();
          }
        };
        handle(response, read)
          .catch((error: unknown) => failed('network', `${url.href} could not be read: ${messageOf(error)}`))
          .then((step) => resolve(cause ?? step))
          .finally(close);
      });
      request.end();
    });
  }
}

/** The decoded body, at most `maxBytes` of it: past that 'too-large', or (`truncate`) the first `maxBytes`. */
type BodyReader = (maxBytes: number, overflow: 'refuse' | 'truncate') => Promise<Buffer | Failure>;

async function pageOf(
  url: URL,
  response: IncomingMessage,
  read: BodyReader,
  sent: PageValidators,
  settings: Settings,
): Promise<Step<PageResult>> {
  const status = response.statusCode ?? 0;
  const validators = validatorsOf(response);
  if (REDIRECT_STATUSES.has(status)) {
    const { location } = response.headers;
    if (location) return { kind: 'redirect', location };
    return failed('status', `${url.href} answered ${status} ${statusText(response)} without saying where to`);
  }
  if (status === 304) {
    return {
      kind: 'done',
      value: { kind: 'not-modified', finalUrl: url.href, validators: { ...sent, ...validators } },
    };
  }
  if (status !== 200 && status !== 203) {
    return failed('status', `${url.href} answered ${status} ${statusText(response)}`);
  }
  const type = contentTypeOf(response.headers['content-type']);
  const kind = type.mime === undefined ? 'html' : CONTENT_KINDS.get(type.mime);
  if (!kind) return failed('type', `${url.href} is ${type.mime}, not HTML, JSON or text`);
  const tooLarge = failed('too-large', `${url.href} is larger than ${size(settings.maxBytes)}; not read`);
  const declared = Number(response.headers['content-length']);
  if (!response.headers['content-encoding'] && declared > settings.maxBytes) return tooLarge;
  const bytes = await read(settings.maxBytes, 'refuse');
  if (!Buffer.isBuffer(bytes)) return bytes.code === 'too-large' ? tooLarge : bytes;
  const body = decodeText(bytes, type.charset, kind === 'html');
  const hash = createHash('sha256').update(body).digest('hex');
  return { kind: 'done', value: { kind: 'page', finalUrl: url.href, contentType: kind, body, hash, validators } };
}

/** robots.txt as answered, its redirects followed; only a 2xx body is read (RFC 9309 reads it as UTF-8). */
async function robotsOf(response: IncomingMessage, read: BodyReader): Promise<Step<RobotsAnswer>> {
  const status = response.statusCode ?? 0;
  const { location } = response.headers;
  if (REDIRECT_STATUSES.has(status) && location) return { kind: 'redirect', location };
  const body = status >= 200 && status < 300 ? await read(ROBOTS_MAX_BYTES, 'truncate') : Buffer.alloc(0);
  if (!Buffer.isBuffer(body)) return body;
  const text = new TextDecoder().decode(body);
  return { kind: 'done', value: { kind: 'answered', status, statusText: statusText(response), body: text } };
}

async function readBody(
  response: IncomingMessage,
  maxBytes: number,
  overflow: 'refuse' | 'truncate',
  url: URL,
): Promise<Buffer | Failure> {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const decoder = decoderOf(encoding);
  if (decoder === undefined) {
    return failed('type', `${url.href} is encoded as ${encoding}, which CineStream cannot decode`);
  }
  const source: Readable = decoder ? pipeline(response, decoder, () => {}) : response;
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    if (length + chunk.length > maxBytes) {
      if (overflow === 'refuse') return failed('too-large', `${url.href} is larger than ${size(maxBytes)}; not read`);
      chunks.push(chunk.subarray(0, maxBytes - length));
      length = maxBytes;
      break;
    }
    chunks.push(chunk);
    length += chunk.length;
  }
  return Buffer.concat(chunks, length);
}

/** A decompressing stream for a Content-Encoding, null for none, undefined for one not understood. */
function decoderOf(encoding: string): Transform | null | undefined {
  if (encoding === 'identity' || encoding === '') return null;
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  if (encoding === 'br') return createBrotliDecompress();
  return undefined;
}

const NETWORK_ERRORS = new Map([
  ['ECONNREFUSED', 'connection refused'],
  ['ECONNRESET', 'the connection was reset'],
  ['EHOSTUNREACH', 'the host is unreachable'],
  ['ENETUNREACH', 'the network is unreachable'],
  ['ETIMEDOUT', 'the connection timed out'],
  ['EPIPE', 'the connection was closed'],
  ['EAI_AGAIN', 'its DNS lookup failed for now'],
]);

function stepOfError(error: Error, url: URL): Failure | Refused {
  if (error instanceof RefusedAddressError) return { kind: 'refused', problem: error.message };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTFOUND') return failed('network', `${url.hostname} does not resolve (ENOTFOUND)`);
  const known = code ? NETWORK_ERRORS.get(code) : undefined;
  const detail = known ? `${known} (${code})` : code ? `${error.message} (${code})` : error.message;
  return failed('network', `${url.href} could not be fetched: ${detail}`);
}

function refusalReason(shown: string, problem: string, from: URL | undefined): string {
  return from
    ? `${from.href} redirected to ${shown}, which ${problem}; not followed`
    : `${shown} ${problem}; not fetched`;
}

function validatorsOf(response: IncomingMessage): PageValidators {
  const etag = response.headers.etag;
  const lastModified = response.headers['last-modified'];
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

function statusText(response: IncomingMessage): string {
  return response.statusMessage || STATUS_CODES[response.statusCode ?? 0] || '';
}

function failed(code: PageFailureCode, reason: string): Failure {
  return { kind: 'failed', code, reason };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function duration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  return ms % 1_000 === 0 ? `${ms / 1_000} s` : `${(ms / 1_000).toFixed(1)} s`;
}

function size(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 1) return Number.isInteger(mb) ? `${mb} MB` : `${mb.toFixed(1)} MB`;
  const kb = bytes / 1024;
  return kb >= 1 ? `${Math.round(kb)} KB` : `${bytes} bytes`;
}
