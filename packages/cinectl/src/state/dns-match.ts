import { BlockList, isIP } from 'node:net';

/** The nameservers of a resolv.conf, in order (IPv6 ones as `[addr]:53` is not needed: node takes them bare). */
export function parseResolvConf(text: string): string[] {
  const servers: string[] = [];
  for (const raw of text.split('\n')) {
    const [keyword, address] = raw
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (keyword !== 'nameserver' || !address) continue;
    const bare = address.replace(/%.*$/, '');
    if (isIP(bare) !== 0) servers.push(bare);
  }
  return servers;
}

export interface OwnAddresses {
  /** Addresses of this host's network interfaces. */
  interfaces: string[];
  /** What a public "what is my address" service saw; empty when it could not be asked. */
  public: string[];
}

export type DnsVerdict =
  | { ok: true }
  | {
      ok: false;
      /** One sentence: what DNS says and what it should say. */
      message: string;
      hint: string;
    };

function addressSet(addresses: readonly string[]): BlockList {
  const list = new BlockList();
  for (const address of addresses) {
    const family = isIP(address);
    if (family !== 0) list.addAddress(address, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

function isLocalOnly(address: string): boolean {
  return /^(127\.|169\.254\.)/.test(address) || /^(::1$|fe[89ab][0-9a-f]:)/i.test(address);
}

/** The addresses DNS should give: the public ones when known, else the interfaces' non-loopback, non-link-local ones. */
export function expectedAddresses(own: OwnAddresses): string[] {
  if (own.public.length > 0) return [...new Set(own.public)];
  const routable = own.interfaces.filter((address) => !isLocalOnly(address));
  return routable.length > 0 ? [...new Set(routable)] : [...new Set(own.interfaces)];
}

/**
 * Whether every A and AAAA record of the domain is an address of this server (the CA may try any of them): the
 * addresses of its interfaces, and its public address when it sits behind NAT. Loopback and link-local addresses
 * are this server's too, but no CA reaches them: they count only with `allowLocal` (a --root tree's test DNS).
 */
export function dnsVerdict(
  domain: string,
  resolved: readonly string[],
  own: OwnAddresses,
  options: { allowLocal?: boolean } = {},
): DnsVerdict {
  const should = expectedAddresses(own).join(', ') || 'an address of this server';
  const hint = `point the A (and AAAA, if any) records of ${domain} at ${should}, wait until DNS answers with them, then run install-ssl again (--skip-dns-check asks the CA anyway)`;
  if (resolved.length === 0) {
    return { ok: false, message: `DNS has no A or AAAA record for ${domain}; it should point at ${should}`, hint };
  }
  const reachable = [...own.interfaces, ...own.public].filter((address) => options.allowLocal || !isLocalOnly(address));
  const mine = addressSet(reachable);
  const foreign = resolved.filter((address) => !mine.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4'));
  if (foreign.length === 0) return { ok: true };
  return {
    ok: false,
    message: `DNS says ${domain} is at ${resolved.join(', ')}, but ${foreign.join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not this server's; it should say ${should}`,
    hint,
  };
}
