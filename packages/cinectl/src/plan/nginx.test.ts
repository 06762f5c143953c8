import { describe, expect, it } from 'vitest';
import { CinectlError } from '../errors.ts';
import { render } from '../render.ts';
import { changedLines } from './__golden__/changed-lines.ts';
import { cinectlIncludeLine, type NginxApp, nginxFiles, withCinectlInclude } from './nginx.ts';

const block = (first: number) => Array.from({ length: 12 }, (_, i) => first + i);
const myapp: NginxApp = { name: 'myapp', ports: block(8001) };
const second: NginxApp = { name: 'second', ports: block(8013) };

describe('nginxFiles: golden renders', () => {
  it('one app', async () => {
    const files = nginxFiles([myapp]);
    expect([...files.keys()]).toEqual([
      'cinectl/http.conf',
      'cinectl/proxy.inc',
      'cinectl/localhost.conf',
      'cinectl/app-myapp.conf',
    ]);
    for (const [path, content] of files) {
      await expect(content).toMatchFileSnapshot(`__golden__/one-app/${path}`);
    }
  });

  it('two apps, the second with a domain', async () => {
    const files = nginxFiles([{ ...second, domain: 'films.example.com' }, myapp]);
    for (const [path, content] of files) {
      await expect(content).toMatchFileSnapshot(`__golden__/two-apps/${path}`);
    }
  });
});

describe('nginx templates: one variable changed at a time', () => {
  const cases: { template: string; defaults: Record<string, unknown> }[] = [
    { template: 'nginx/http.conf.hbs', defaults: { cacheDir: '/var/cache/nginx/cinectl' } },
    { template: 'nginx/proxy.inc.hbs', defaults: { cacheSeconds: 2, readTimeoutSeconds: 60 } },
    {
      template: 'nginx/app.conf.hbs',
      defaults: {
        name: 'myapp',
        ports: [8001, 8002],
        firstPort: 8001,
        lastPort: 8002,
        keepalive: 32,
        domain: undefined,
        includeDir: 'cinectl',
      },
    },
    {
      template: 'nginx/localhost.conf.hbs',
      defaults: { includeDir: 'cinectl', defaultApp: 'myapp', apps: [{ name: 'myapp' }] },
    },
  ];
  const changed = (template: string, change: Record<string, unknown>) => {
    const defaults = cases.find((c) => c.template === template)?.defaults ?? {};
    return changedLines(render(template, defaults), render(template, { ...defaults, ...change }));
  };

  it('renders every template with its defaults', async () => {
    for (const { template, defaults } of cases) {
      await expect(render(template, defaults)).toMatchFileSnapshot(
        `__golden__/defaults/${template.replace(/\.hbs$/, '')}`,
      );
    }
  });

  it('http.conf: cacheDir moves the microcache only', () => {
    expect(changed('nginx/http.conf.hbs', { cacheDir: '/srv/cache' })).toEqual([
      '- proxy_cache_path /var/cache/nginx/cinectl levels=1:2 keys_zone=cinectl_micro:10m max_size=256m inactive=10m use_temp_path=off;',
      '+ proxy_cache_path /srv/cache levels=1:2 keys_zone=cinectl_micro:10m max_size=256m inactive=10m use_temp_path=off;',
    ]);
  });

  it('proxy.inc: cacheSeconds and readTimeoutSeconds', () => {
    expect(changed('nginx/proxy.inc.hbs', { cacheSeconds: 5 })).toEqual([
      '- proxy_cache_valid 200 2s;',
      '+ proxy_cache_valid 200 5s;',
    ]);
    expect(changed('nginx/proxy.inc.hbs', { readTimeoutSeconds: 90 })).toEqual([
      '- proxy_read_timeout 60s;',
      '+ proxy_read_timeout 90s;',
    ]);
  });

  it('app.conf: name, ports, keepalive', () => {
    expect(changed('nginx/app.conf.hbs', { name: 'other' })).toEqual([
      '- # cinectl: app myapp, one worker per port 8001–8002. Rendered by cinectl; edits are overwritten.',
      '+ # cinectl: app other, one worker per port 8001–8002. Rendered by cinectl; edits are overwritten.',
      '- upstream myapp_backend {',
      '-     zone myapp_backend 64k;',
      '+ upstream other_backend {',
      '+     zone other_backend 64k;',
    ]);
    expect(changed('nginx/app.conf.hbs', { ports: [8001, 8002, 8003] })).toEqual([
      '+     server 127.0.0.1:8003 max_fails=1 fail_timeout=10s;',
    ]);
    expect(changed('nginx/app.conf.hbs', { keepalive: 8 })).toEqual(['-     keepalive 32;', '+     keepalive 8;']);
  });

  it('app.conf: a domain adds a server block serving the app at /', () => {
    expect(changed('nginx/app.conf.hbs', { domain: 'films.example.com' })).toEqual([
      '+ # films.example.com serves myapp at /; its pages link under /myapp/, which is served as well.',
      '+ server {',
      '+     listen 80;',
      '+     server_name films.example.com;',
      '+     absolute_redirect off;',
      '+     include cinectl/proxy.inc;',
      '+     proxy_cookie_path /myapp /;',
      '+ ',
      '+     # Under /myapp/ to the app, the URI exactly as the client sent it (nothing decoded or merged): the raw',
      '+     # $request_uri, query string included, caught whole as $1.',
      '+     location / {',
      '+         rewrite ^ $request_uri;',
      '+         rewrite ^(.*)$ $1 break;',
      '+         proxy_pass http://myapp_backend/myapp$1;',
      '+         proxy_redirect /myapp/ /;',
      '+     }',
      '+     location /myapp/ {',
      '+         proxy_pass http://myapp_backend;',
      '+     }',
      '+ }',
      '+ ',
    ]);
    // includeDir only matters to the domain's server block
    expect(changed('nginx/app.conf.hbs', { includeDir: 'other' })).toEqual([]);
    const withDomain = { domain: 'films.example.com' };
    const defaults = cases[2]?.defaults ?? {};
    expect(
      changedLines(
        render('nginx/app.conf.hbs', { ...defaults, ...withDomain }),
        render('nginx/app.conf.hbs', { ...defaults, ...withDomain, includeDir: 'other' }),
      ),
    ).toEqual(['-     include cinectl/proxy.inc;', '+     include other/proxy.inc;']);
  });

  it('localhost.conf: defaultApp, apps, includeDir', () => {
    expect(changed('nginx/localhost.conf.hbs', { defaultApp: 'second' })).toEqual([
      "- # cinectl: every app on localhost and on this server's IP addresses, each at /<app>/; / goes to myapp.",
      "+ # cinectl: every app on localhost and on this server's IP addresses, each at /<app>/; / goes to second.",
      '-         return 302 /myapp/;',
      '+         return 302 /second/;',
    ]);
    expect(changed('nginx/localhost.conf.hbs', { apps: [{ name: 'myapp' }, { name: 'second' }] })).toEqual([
      '+     location = /second {',
      '+         return 301 /second/$is_args$args;',
      '+     }',
      '+     location /second/ {',
      '+         proxy_pass http://second_backend;',
      '+     }',
      '+ ',
    ]);
    expect(changed('nginx/localhost.conf.hbs', { includeDir: 'other' })).toEqual([
      '-     include cinectl/proxy.inc;',
      '+     include other/proxy.inc;',
    ]);
  });
});

describe('nginxFiles: behaviour', () => {
  it('orders apps by first port: the first is the localhost default, whatever order they come in', () => {
    const a = nginxFiles([second, myapp]);
    const b = nginxFiles([myapp, second]);
    expect([...a]).toEqual([...b]);
    const localhost = a.get('cinectl/localhost.conf') ?? '';
    expect(localhost).toContain('return 302 /myapp/;');
    expect(localhost.indexOf('location /myapp/ {')).toBeLessThan(localhost.indexOf('location /second/ {'));
  });

  it('gives each app its upstream over its own ports, sorted, with ip_hash and keepalive', () => {
    const files = nginxFiles([{ name: 'myapp', ports: [8003, 8001, 8002] }, second]);
    const upstream = files.get('cinectl/app-second.conf') ?? '';
    expect(upstream.match(/server 127\.0\.0\.1:(\d+)/g)).toEqual(block(8013).map((port) => `server 127.0.0.1:${port}`));
    expect(files.get('cinectl/app-myapp.conf')?.match(/:(\d+) /g)).toEqual([':8001 ', ':8002 ', ':8003 ']);
    expect(upstream.indexOf('ip_hash;')).toBeLessThan(upstream.indexOf('keepalive 32;'));
  });

  it('zero apps: no files at all', () => {
    expect(nginxFiles([]).size).toBe(0);
  });

  it('puts every file and include line in the chosen include directory, and the cache where asked', () => {
    const files = nginxFiles([{ ...myapp, domain: 'films.example.com' }], {
      includeDir: 'conf.d/cinectl',
      cacheDir: '/tmp/micro',
    });
    expect([...files.keys()].every((path) => path.startsWith('conf.d/cinectl/'))).toBe(true);
    expect(files.get('conf.d/cinectl/http.conf')).toContain('proxy_cache_path /tmp/micro ');
    for (const path of ['conf.d/cinectl/localhost.conf', 'conf.d/cinectl/app-myapp.conf']) {
      expect(files.get(path)).toContain('include conf.d/cinectl/proxy.inc;');
    }
  });

  it('keys the microcache by scheme, host, URI and language, and caches only language pages of returning visitors', () => {
    const files = nginxFiles([myapp]);
    const proxy = files.get('cinectl/proxy.inc') ?? '';
    expect(proxy).toContain('proxy_cache_key "$scheme://$host$request_uri|lang=$cinectl_lang";');
    expect(proxy).toContain('proxy_cache_bypass $cinectl_skip_cache;');
    expect(proxy).toContain('proxy_no_cache $cinectl_skip_cache;');
    expect(files.get('cinectl/http.conf')).toContain('"~^(uk|en|ru):1:0$" 0;');
    expect(files.get('cinectl/http.conf')).toContain('map "$cinectl_city|$cookie_cs_city" $cinectl_city_changed {');
  });

  it('refuses names, ports, domains and paths that cannot go into a config', () => {
    expect(() => nginxFiles([{ name: 'a;b', ports: [8001] }])).toThrow(/app name "a;b"/);
    expect(() => nginxFiles([{ name: 'myapp', ports: [] }])).toThrow(/at least one port/);
    expect(() => nginxFiles([{ name: 'myapp', ports: [70000] }])).toThrow(/1–65535/);
    expect(() => nginxFiles([{ name: 'myapp', ports: [8001], domain: 'x; return 200' }])).toThrow(/not a domain/);
    expect(() => nginxFiles([{ name: '1app', ports: [8001] }])).toThrow(/"1app" cannot go .* must start with a letter/);
    expect(() => nginxFiles([{ name: 'myapp', ports: [8001], domain: 'Films.example.com' }])).toThrow(/not a domain/);
    expect(() => nginxFiles([myapp, { ...myapp, ports: [9001] }])).toThrow(/same name/);
    expect(() => nginxFiles([myapp], { includeDir: '../etc' })).toThrow(/relative folder/);
    expect(() => nginxFiles([myapp], { includeDir: '/etc/nginx/cinectl' })).toThrow(/relative folder/);
    expect(() => nginxFiles([myapp], { cacheDir: 'cache' })).toThrow(/absolute folder/);
  });
});

describe('withCinectlInclude', () => {
  const arch = [
    'worker_processes  1;',
    '',
    'events {',
    '    worker_connections  1024;',
    '}',
    '',
    '',
    'http {',
    '    include       mime.types;',
    '    default_type  application/octet-stream;',
    '',
    '    server {',
    '        listen       80;',
    '        server_name  localhost;',
    '    }',
    '}',
    '',
  ].join('\n');

  it('adds the include line once, first inside the http block, with its indentation', () => {
    const once = withCinectlInclude(arch);
    expect(changedLines(arch, once)).toEqual(['+     include cinectl/*.conf;']);
    expect(once.indexOf('include cinectl/*.conf;')).toBeGreaterThan(once.indexOf('http {'));
    expect(once.indexOf('include cinectl/*.conf;')).toBeLessThan(once.indexOf('include       mime.types;'));
    expect(withCinectlInclude(once)).toBe(once);
  });

  it('uses the layout include directory', () => {
    expect(cinectlIncludeLine({ includeDir: 'conf.d/cinectl' })).toBe('include conf.d/cinectl/*.conf;');
    expect(changedLines(arch, withCinectlInclude(arch, { includeDir: 'conf.d/cinectl' }))).toEqual([
      '+     include conf.d/cinectl/*.conf;',
    ]);
  });

  it('sees through comments and quoted strings, and takes http{ without a space', () => {
    const commented = arch.replace('http {', '# include cinectl/*.conf;\n# http {\nhttp{');
    const added = withCinectlInclude(commented);
    expect(changedLines(commented, added)).toEqual(['+     include cinectl/*.conf;']);
    expect(added.indexOf('include cinectl/*.conf;', added.indexOf('http{'))).toBeGreaterThan(0);
    const quoted = "events {}\nlog_format x 'http {';\n";
    expect(() => withCinectlInclude(quoted)).toThrow(/no http \{ … \} block/);
  });

  it('keeps an existing include line even with other spacing', () => {
    const present = arch.replace('http {', 'http {\n    include   cinectl/*.conf;');
    expect(withCinectlInclude(present)).toBe(present);
  });

  it('handles an http block written on one line', () => {
    expect(withCinectlInclude('events {}\nhttp { include mime.types; }\n')).toBe(
      'events {}\nhttp {\n    include cinectl/*.conf;\n include mime.types; }\n',
    );
  });

  it('says what to do when there is no http block', () => {
    const error = (() => {
      try {
        withCinectlInclude('events {}\n');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CinectlError);
    expect((error as CinectlError).message).toBe(
      'nginx.conf has no http { … } block to add "include cinectl/*.conf;" to',
    );
    expect((error as CinectlError).hint).toBe(
      "restore the distribution's nginx.conf (or add an http block) and run the command again",
    );
  });
});
