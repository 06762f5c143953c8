import robotsParserModule from 'robots-parser';
import type { PageFailureCode } from './fetcher.ts';

// The package is CommonJS and its types claim an ES default export: Node hands an ES import its module.exports.
const robotsParser = robotsParserModule as unknown as typeof robotsParserModule.default;

/** The product token robots.txt groups are matched against. */
export const ROBOTS_AGENT = 'CineStream';
export const DEFAULT_ROBOTS_TTL_MS = 24 * 3_600_000;
/** An unreachable robots.txt is asked again sooner than a read one, so a passing outage does not close a site for a day. */
const UNREACHABLE_TTL_MS = 10 * 60_000;

/** What asking for an origin's `/robots.txt` came to, redirects followed. */
export type RobotsAnswer =
  | { kind: 'answered'; status: number; statusText: string; body: string }
  | { kind: 'failed'; code: PageFailureCode; reason: string };

/** `code` is 'robots' when the site said no (rules, 5xx, 429), else why robots.txt could not be fetched at all. */
export type RobotsVerdict = { allowed: true } | { allowed: false; code: PageFailureCode; reason: string };

export interface RobotsOptions {
  /** Fetches a robots.txt URL; must not throw. */
  load: (robotsUrl: URL) => Promise<RobotsAnswer>;
  ttlMs?: number | undefined;
  now?: () => number;
}

type Rules =
  | { kind: 'parsed'; isAllowed: (url: string) => boolean }
  | { kind: 'open' }
  | { kind: 'closed'; code: PageFailureCode; why: string };

/**
 * robots.txt per origin, read once per TTL (concurrent checks share one read), as RFC 9309 has it: a 4xx means
 * no rules; a 5xx, a 429 or no answer at all means the site is unreachable and everything on it is disallowed.
 */
export class RobotsCache {
  readonly #load: RobotsOptions['load'];
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { rules: Promise<Rules>; expiresAt: number }>();

  constructor(options: RobotsOptions) {
    this.#load = options.load;
    this.#ttlMs = options.ttlMs ?? DEFAULT_ROBOTS_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  async check(url: URL): Promise<RobotsVerdict> {
    const rules = await this.#rulesOf(url.origin);
    if (rules.kind === 'open') return { allowed: true };
    if (rules.kind === 'closed') {
      return {
        allowed: false,
        code: rules.code,
        reason: `robots.txt of ${url.origin} could not be read (${rules.why}), so the site counts as disallowing everything (RFC 9309)`,
      };
    }
    if (rules.isAllowed(url.href)) return { allowed: true };
    return {
      allowed: false,
      code: 'robots',
      reason: `robots.txt of ${url.origin} disallows ${url.pathname}${url.search} for ${ROBOTS_AGENT}`,
    };
  }

  #rulesOf(origin: string): Promise<Rules> {
    const now = this.#now();
    const cached = this.#entries.get(origin);
    if (cached && cached.expiresAt > now) return cached.rules;
    if (this.#entries.size > 1_000) this.#forgetExpired(now);
    const entry = { rules: this.#read(origin), expiresAt: Number.POSITIVE_INFINITY };
    this.#entries.set(origin, entry);
    void entry.rules.then((rules) => {
      const ttl = rules.kind === 'closed' ? Math.min(this.#ttlMs, UNREACHABLE_TTL_MS) : this.#ttlMs;
      entry.expiresAt = this.#now() + ttl;
    });
    return entry.rules;
  }

  async #read(origin: string): Promise<Rules> {
    const robotsUrl = new URL('/robots.txt', origin);
    const answer = await this.#load(robotsUrl).catch(
      (error: unknown): RobotsAnswer => ({
        kind: 'failed',
        code: 'network',
        reason: error instanceof Error ? error.message : String(error),
      }),
    );
    if (answer.kind === 'failed') return { kind: 'closed', code: answer.code, why: answer.reason };
    const { status } = answer;
    if (status >= 200 && status < 300) {
      const robot = robotsParser(robotsUrl.href, answer.body);
      return { kind: 'parsed', isAllowed: (url) => robot.isAllowed(url, ROBOTS_AGENT) !== false };
    }
    if (status >= 400 && status < 500 && status !== 429) return { kind: 'open' };
    return {
      kind: 'closed',
      code: 'robots',
      why: `${robotsUrl.href} answered ${status} ${answer.statusText}`.trimEnd(),
    };
  }

  #forgetExpired(now: number): void {
    for (const [origin, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(origin);
  }
}
