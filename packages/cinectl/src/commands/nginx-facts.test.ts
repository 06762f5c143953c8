import { describe, expect, it } from 'vitest';
import type { ExecResult, HostIO } from '../host/io.ts';
import { realHostIO } from '../host/io.ts';
import { hasHttp2Directive, nginxHost, nginxVersionOutput } from './nginx-facts.ts';

/** The host I/O with `nginx -v` answered as given; counts how often it was asked. */
function nginxAnswering(result: ExecResult): HostIO & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    ...realHostIO,
    asked,
    execSync(argv) {
      asked.push([...argv]);
      return result;
    },
  };
}

describe('hasHttp2Directive', () => {
  it('is true from nginx 1.25.1 on, where `listen … http2` is deprecated', () => {
    expect(hasHttp2Directive('nginx version: nginx/1.25.1\n')).toBe(true);
    expect(hasHttp2Directive('nginx version: nginx/1.28.0\n')).toBe(true);
    expect(hasHttp2Directive('nginx version: nginx/2.0.0\n')).toBe(true);
  });

  it('is false before 1.25.1, which knows only `listen … http2`', () => {
    expect(hasHttp2Directive('nginx version: nginx/1.22.1\n')).toBe(false);
    expect(hasHttp2Directive('nginx version: nginx/1.25.0\n')).toBe(false);
    expect(hasHttp2Directive('nginx version: nginx/1.9.15\n')).toBe(false);
  });

  it('assumes a current nginx when it cannot be asked', () => {
    expect(hasHttp2Directive(null)).toBe(true);
    expect(hasHttp2Directive('sh: nginx: not found')).toBe(true);
  });
});

describe('nginxHost', () => {
  it('asks the installed nginx for its version through the host I/O, once', () => {
    const io = nginxAnswering({ exitCode: 0, stdout: '', stderr: 'nginx version: nginx/1.22.1\n' });
    expect(nginxHost('/', [], io).http2Directive).toBe(false);
    expect(nginxHost('/srv/tree', [], io)).toMatchObject({
      cacheDir: '/srv/tree/var/cache/nginx/cinectl',
      http2Directive: false,
    });
    expect(io.asked).toEqual([['nginx', '-v']]);
  });

  it('takes an nginx that cannot be asked for a current one', () => {
    const io = nginxAnswering({ exitCode: 127, stdout: '', stderr: '', failure: 'spawnSync nginx ENOENT' });
    expect(nginxVersionOutput(io)).toBeNull();
    expect(nginxHost('/', [], io).http2Directive).toBe(true);
  });

  it('keeps the nginx files of broken apps', () => {
    const io = nginxAnswering({ exitCode: 0, stdout: '', stderr: 'nginx version: nginx/1.28.0\n' });
    const broken = [{ dir: 'old', file: '/var/www/old/.deploy_config', problems: ['x'], fix: 'y', ports: [] }];
    expect(nginxHost('/', broken, io).keptFiles).toEqual(['app-old.conf']);
    expect(nginxHost('/', [], io).keptFiles).toBeUndefined();
  });
});
