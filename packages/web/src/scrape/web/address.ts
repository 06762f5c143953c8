import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface AddressPolicy {
  /** Tests only: also permit the loopback range (127/8, ::1), and nothing else. */
  allowLoopback?: boolean;
}

/**
 * A URL that may be fetched, or what is wrong with it: `shown` is the URL as a reason may print it (credentials
 * removed) and `problem` a verb phrase about it ("carries credentials", "is a private address").
 */
export type UrlCheck = { ok: true; url: URL } | { ok: false; code: 'url' | 'address'; shown: string; problem: string };

/** ipaddr.js names every address outside its special ranges 'unicast', for IPv4 and IPv6 alike. */
const PUBLIC_RANGE = 'unicast';
/** IANA's global unicast block; ipaddr.js leaves the rest of ::/0 unnamed too (e.g. IPv4-compatible ::7f00:1). */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address',
  multicast: 'a multicast address',
  uniqueLocal: 'a unique-local address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  carrierGradeNat: 'a carrier-grade NAT address',
  reserved: 'a reserved address',
};

/**
 * Why an IP address may not be connected to ("a private address"), or undefined when it may. An IPv4-mapped IPv6
 * address is judged as the IPv4 address it maps; anything that is not an IP address is refused.
 */
export function addressRefusal(address: string, policy: AddressPolicy = {}): string | undefined {
  const range = rangeOf(address);
  if (range === PUBLIC_RANGE) return undefined;
  if (range === 'loopback' && policy.allowLoopback) return undefined;
  return RANGE_NAMES[range] ?? `a special-purpose address (${range})`;
}

export function isAllowedAddress(address: string, policy: AddressPolicy = {}): boolean {
  return addressRefusal(address, policy) === undefined;
}

/**
 * Whether a URL may be fetched before any connection: http(s) only, no credentials, and an IP-literal host must be
 * allowed. A host name is checked again once resolved (see `fetcher.ts`).
 */
export function checkUrl(text: string, policy: AddressPolicy = {}): UrlCheck {
  const url = URL.parse(text);
  if (!url) return { ok: false, code: 'url', shown: text.slice(0, 200), problem: 'is not a valid URL' };
  if (url.username || url.password) {
    const shown = new URL(url.href);
    shown.username = '';
    shown.password = '';
    return { ok: false, code: 'url', shown: shown.href, problem: 'carries credentials' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, code: 'url', shown: url.href.slice(0, 200), problem: 'is not an http or https URL' };
  }
  const literal = ipLiteral(url);
  const refusal = literal === undefined ? undefined : addressRefusal(literal, policy);
  if (refusal) return { ok: false, code: 'address', shown: url.href, problem: `is ${refusal}` };
  return { ok: true, url };
}

/** The IP address a URL's host is, without brackets, or undefined for a host name. */
export function ipLiteral(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) ? host : undefined;
}

function rangeOf(address: string): string {
  const version = isIP(address);
  if (version === 0) return 'not an IP address';
  const parsed = ipaddr.process(version === 6 ? canonicalIPv6(address) : address);
  const range = parsed.range();
  if (parsed.kind() === 'ipv6' && range === PUBLIC_RANGE && !parsed.match(IPV6_GLOBAL_UNICAST)) return 'reserved';
  return range;
}

/**
 * The address as WHATWG URL writes it: ipaddr.js reads the IPv4-compatible `::127.0.0.1` (how getaddrinfo prints
 * ::7f00:1) as IPv4-mapped. A zone (`fe80::1%eth0`) is dropped: it says nothing about the range.
 */
function canonicalIPv6(address: string): string {
  const [bare = address] = address.split('%');
  return URL.parse(`http://[${bare}]/`)?.hostname.slice(1, -1) ?? bare;
}
