import { createHash } from 'node:crypto';
import {
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * nginx.conf as Arch Linux ships it, with the paths nginx writes at start-up (pid, logs, temp files) moved into
 * the throwaway root so `nginx -t -c ROOT/etc/nginx/nginx.conf` touches nothing outside it.
 */
export function archNginxConf(root: string): string {
  return `worker_processes  1;
error_log  ${root}/var/log/nginx/error.log;
pid        ${root}/run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       mime.types;
    default_type  application/octet-stream;
    access_log    ${root}/var/log/nginx/access.log;
    client_body_temp_path ${root}/var/lib/nginx/client-body;
    proxy_temp_path       ${root}/var/lib/nginx/proxy;
    fastcgi_temp_path     ${root}/var/lib/nginx/fastcgi;
    uwsgi_temp_path       ${root}/var/lib/nginx/uwsgi;
    scgi_temp_path        ${root}/var/lib/nginx/scgi;

    sendfile        on;
    keepalive_timeout  65;

    server {
        listen       80;
        server_name  localhost;

        location / {
            root   /usr/share/nginx/html;
            index  index.html index.htm;
        }
    }
}
`;
}

/** A throwaway root: a temp directory with nginx installed the Arch way (and nothing else). */
export function makeRoot(options: { nginx?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'cinectl-root-'));
  if (options.nginx ?? true) {
    for (const dir of ['etc/nginx', 'var/log/nginx', 'var/lib/nginx', 'run'])
      mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'etc/nginx/nginx.conf'), archNginxConf(root));
    copyFileSync('/etc/nginx/mime.types', join(root, 'etc/nginx/mime.types'));
  }
  return root;
}

export function removeRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/**
 * A hash of everything in a tree: paths, types, modes, owners, file contents and link targets. Equal hashes before
 * and after a command mean it changed nothing.
 */
export function treeHash(dir: string, options: { ignore?: string[] } = {}): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    if (options.ignore?.includes(relative(dir, path))) return;
    const stats = lstatSync(path);
    hash.update(`${relative(dir, path)}\0${stats.mode}\0${stats.uid}:${stats.gid}\0`);
    if (stats.isSymbolicLink()) hash.update(readlinkSync(path));
    else if (stats.isFile()) hash.update(readFileSync(path));
    else if (stats.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    hash.update('\0');
  };
  walk(dir);
  return hash.digest('hex');
}
