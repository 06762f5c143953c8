import { describe, expect, it } from 'vitest';
import { isAppNginxLine, journalctlArgv, nginxTailArgv, parseSince, parseWorker } from './logs.ts';

describe('cinectl logs argv', () => {
  it('journalctl: every worker or one, since, follow, a --root tree through --root', () => {
    expect(journalctlArgv({ app: 'films', root: '/', follow: false })).toEqual([
      'journalctl',
      '--no-pager',
      '--output=short-iso',
      '--unit=films@*.service',
      '--lines=200',
    ]);
    expect(journalctlArgv({ app: 'films', root: '/tmp/r', follow: true, since: '-2h', worker: 8014 })).toEqual([
      'journalctl',
      '--root=/tmp/r',
      '--no-pager',
      '--output=short-iso',
      '--unit=films@8014.service',
      '--since=-2h',
      '--follow',
    ]);
  });

  it("nginx: tail of its access and error logs, followed by name; the app's lines kept", () => {
    expect(nginxTailArgv({ root: '/', follow: true })).toEqual([
      'tail',
      '--quiet',
      '--lines=1000',
      '--follow=name',
      '--retry',
      '/var/log/nginx/access.log',
      '/var/log/nginx/error.log',
    ]);
    const app = { name: 'films', domain: 'films.example.com', ports: [8013] };
    expect(isAppNginxLine('1.2.3.4 - - [x] "GET /films/berlin HTTP/1.1" 200', app)).toBe(true);
    expect(isAppNginxLine('connect() failed, upstream: "http://127.0.0.1:8013/"', app)).toBe(true);
    expect(isAppNginxLine('1.2.3.4 - - [x] "GET /other/ HTTP/1.1" 200', app)).toBe(false);
  });

  it('refuses a --since journalctl would not take and a --worker that is not the app’s', () => {
    expect(parseSince('3 days ago')).toBe('3 days ago');
    expect(parseSince('2025-03-14 09:00')).toBe('2025-03-14 09:00');
    expect(() => parseSince('last tuesday; rm')).toThrow(/--since "last tuesday; rm" is not a time/);
    expect(parseWorker('8013', [8013, 8014], 'films')).toBe(8013);
    expect(() => parseWorker(' 8013', [8013], 'films')).toThrow(/is not one of films's ports/);
    expect(() => parseWorker('9000', [8013], 'films')).toThrow(/--worker "9000" is not one of films's ports/);
  });
});
