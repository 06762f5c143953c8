import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { CinectlError } from '../errors.ts';
import { RESOLV_CONF } from '../plan/layout.ts';
import { type OwnAddresses, parseResolvConf } from '../state/dns-match.ts';
import { readHostFile } from './facts.ts';

/** Asked for this server's public address, IPv4 and IPv6; skipped when they do not answer in time. */
export const PUBLIC_ADDRESS_SERVICES = ['https://api.ipify.org', 'https://api6.ipify.org'];
export const DNS_TIMEOUT_MS = 3_000;

/** The nameservers of the root's own /etc/resolv.conf (empty: the system's resolver is asked). */
export async function rootNameservers(root: string): Promise<string[]> {
  return parseResolvConf((await readHostFile(root, RESOLV_CONF)) ?? '');
}

const NO_RECORD = new Set(['ENODATA', 'ENOTFOUND', 'NOTFOUND', 'ENONAME']);

/** The A and AAAA records of a name, asked of the given nameservers. */
export async function resolveAddresses(domain: string, nameservers: readonly string[]): Promise<string[]> {
  const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: 2 });
  if (nameservers.length > 0) resolver.setServers([...nameservers]);
  const ask = async (lookup: () => Promise<string[]>): Promise<string[]> => {
    try {
      return await lookup();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (NO_RECORD.has(code)) return [];
      throw new CinectlError(
        `could not ask DNS about ${domain} (${code || (error as Error).message} from ${nameservers.join(', ') || 'the system resolver'})`,
        { hint: 'check /etc/resolv.conf and the network, or pass --skip-dns-check to ask the CA without this check' },
      );
    }
  };
  const [v4, v6] = await Promise.all([ask(() => resolver.resolve4(domain)), ask(() => resolver.resolve6(domain))]);
  return [...v4, ...v6];
}

export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .map((entry) => entry.address);
}

async function askPublic(url: string, timeoutMs: number): Promise<string | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = (await response.text()).trim();
    return response.ok && isIP(text) !== 0 ? text : null;
  } catch {
    return null;
  }
}

/** This server's public addresses as the services see them; those that do not answer in time are left out. */
export async function publicAddresses(timeoutMs = DNS_TIMEOUT_MS): Promise<string[]> {
  const answers = await Promise.all(PUBLIC_ADDRESS_SERVICES.map((url) => askPublic(url, timeoutMs)));
  return answers.filter((address): address is string => address !== null);
}

export async function ownAddresses(): Promise<OwnAddresses> {
  return { interfaces: interfaceAddresses(), public: await publicAddresses() };
}
