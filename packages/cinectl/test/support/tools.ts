import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { withCinectlInclude } from '../../src/plan/nginx.ts';

const NO_TOOLS = process.env.CINESTREAM_TEST_NO_TOOLS === '1';

/**
 * The path of an installed program (PATH, then the sbin and bin directories), or undefined — also under
 * `pnpm test:fast` (CINESTREAM_TEST_NO_TOOLS=1), whose checks with real programs skip and say so.
 */
export function which(tool: string): string | undefined {
  if (NO_TOOLS) return undefined;
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

/** Why a check with these programs is skipped, or undefined when they are all there. */
export function withoutTools(...tools: string[]): string | undefined {
  if (NO_TOOLS) return 'pnpm test:fast runs no real programs';
  const missing = tools.filter((tool) => !which(tool));
  return missing.length > 0 ? `${missing.join(' and ')} not installed (scripts/setup.sh --test)` : undefined;
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

/**
 * `nginx -t` on cinectl's files placed in `dir`, included by a minimal nginx.conf of its own there, so that
 * everything nginx writes stays inside `dir`.
 */
export async function nginxTestFiles(
  nginx: string,
  dir: string,
  files: Map<string, string>,
): Promise<{ exitCode: number | undefined; output: string }> {
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const conf = [
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log;`,
    'events {',
    '    worker_connections 64;',
    '}',
    'http {',
    '    access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${dir}/tmp/${kind};`),
    '}',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'nginx.conf'), withCinectlInclude(conf));
  const result = await execa(nginx, ['-t', '-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', 'stderr'], {
    reject: false,
    all: true,
  });
  return { exitCode: result.exitCode, output: result.all ?? '' };
}
