import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** The path of an installed program (PATH, then the sbin and bin directories), or undefined. */
export function which(tool: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return join(dir, tool);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A self-signed P-256 certificate for `domain`, valid for `days`, written by openssl to the two paths. */
export function selfSignedCertificate(options: { domain: string; days: number; key: string; certificate: string }) {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      String(options.days),
      '-subj',
      `/CN=${options.domain}`,
      '-keyout',
      options.key,
      '-out',
      options.certificate,
    ],
    { stdio: 'ignore' },
  );
}
