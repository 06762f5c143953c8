import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { siteOrigin } from './routes/origin.ts';

describe('PUBLIC_URL', () => {
  it('takes an origin, without its trailing slash', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://Cinestream.example/' }).publicUrl).toBe('https://cinestream.example');
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:8001' }).publicUrl).toBe('http://localhost:8001');
  });

  it.each([
    'cinestream.example',
    'ftp://cinestream.example',
    'https://cinestream.example/cinestream',
    'https://a.example/?x',
  ])('refuses %s in one sentence', (value) => {
    expect(() => loadConfig({ PUBLIC_URL: value })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: value })).toThrow(
      /PUBLIC_URL: must be an origin like https:\/\/cinestream\.example/,
    );
  });
});

describe('siteOrigin', () => {
  const request = (protocol: string, host: string) => ({ protocol, host }) as Request;

  it('is PUBLIC_URL when set, whatever the request says', () => {
    expect(siteOrigin('https://cinestream.example')(request('http', 'evil.example'))).toBe(
      'https://cinestream.example',
    );
  });

  it("is the request's scheme and host otherwise, and never a Host that is not a host name", () => {
    const origin = siteOrigin(undefined);
    expect(origin(request('https', 'Kino.example:8443'))).toBe('https://kino.example:8443');
    expect(origin(request('http', '[::1]:8001'))).toBe('http://[::1]:8001');
    expect(origin(request('http', 'a.example/"><script>'))).toBe('http://localhost');
  });
});
