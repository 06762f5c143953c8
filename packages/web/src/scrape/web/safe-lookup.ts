import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { type AddressPolicy, addressRefusal } from './address.ts';

/** The connection's own lookup: it connects only to addresses `resolveChecked` passed, so no rebinding slips in. */
export function safeLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) =>
    resolveChecked(hostname, options, policy, (error, addresses) => {
      const [first] = addresses;
      if (error || !first) return callback(error, '');
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
}

/** Every address `hostname` resolves to, or a `RefusedAddressError` when any of them is not allowed. */
export function resolveChecked(
  hostname: string,
  options: LookupOptions,
  policy: AddressPolicy,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    for (const { address } of addresses) {
      const refusal = addressRefusal(address, policy);
      if (refusal) return callback(new RefusedAddressError(`resolves to ${address}, ${refusal}`), []);
    }
    if (addresses.length > 0) return callback(null, addresses);
    callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
  });
}

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
}
