import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRoot, removeRoot } from '../../test/support/root.ts';
import { CinectlError } from '../errors.ts';
import { parseDeployConfig, serializeDeployConfig } from './deploy-config.ts';
import { findApp, listApps } from './registry.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

function rootWith(configs: Record<string, string>): string {
  const root = makeRoot({ nginx: false });
  roots.push(root);
  for (const [dir, text] of Object.entries(configs)) {
    mkdirSync(join(root, 'var/www', dir), { recursive: true });
    writeFileSync(join(root, 'var/www', dir, '.deploy_config'), text);
  }
  return root;
}

const config = (name: string, first: number) =>
  serializeDeployConfig({
    name,
    ports: [first, first + 1],
    domain: null,
    created: '2025-03-14T09:15:00.000Z',
    release: '20250314T091500Z',
  });

describe('.deploy_config', () => {
  it('round-trips and reads as stable JSON', () => {
    const text = config('myapp', 8001);
    expect(text).toBe(
      '{\n  "name": "myapp",\n  "ports": [8001,8002],\n  "domain": null,\n  "created": "2025-03-14T09:15:00.000Z",\n  "release": "20250314T091500Z"\n}\n',
    );
    expect(parseDeployConfig(text)).toEqual({ config: JSON.parse(text), errors: [] });
  });

  it('names every problem with its field', () => {
    expect(parseDeployConfig('{"name":"X","ports":[],"created":"yesterday","release":"latest"}').errors).toEqual([
      'name: must be a valid app name',
      'ports: must list at least one port',
      'created: Invalid ISO datetime',
      'release: must be a release directory name',
    ]);
    expect(parseDeployConfig('not json').errors).toEqual(['not valid JSON']);
  });

  it('holds a domain to the rule set-domain applies, and the ports to 1–65535', () => {
    const text = (domain: string, ports: number[]) =>
      JSON.stringify({ ...JSON.parse(config('myapp', 8001)), domain, ports });
    expect(parseDeployConfig(text('films.example.com', [8001])).errors).toEqual([]);
    expect(parseDeployConfig(text('*.example.com', [8001])).errors).toEqual([]);
    expect(parseDeployConfig(text('Films.Example.com', [8001])).errors).toEqual([
      'domain: must be a domain in lowercase ASCII like films.example.com (punycode for IDN)',
    ]);
    expect(parseDeployConfig(text('films.example.com;', [70000])).errors).toEqual([
      'ports.0: must be a port number (1–65535)',
      'domain: must be a domain in lowercase ASCII like films.example.com (punycode for IDN)',
    ]);
  });
});

describe('listApps', () => {
  it('finds apps by their .deploy_config, ordered by first port, ignoring other directories', async () => {
    const root = rootWith({ zeta: config('zeta', 8001), alpha: config('alpha', 8013) });
    mkdirSync(join(root, 'var/www/html'), { recursive: true });
    expect((await listApps(root)).map((app) => app.name)).toEqual(['zeta', 'alpha']);
    expect((await findApp(root, 'alpha'))?.ports).toEqual([8013, 8014]);
    expect(await findApp(root, 'html')).toBeUndefined();
  });

  it('is empty on a host without /var/www', async () => {
    const root = makeRoot({ nginx: false });
    roots.push(root);
    expect(await listApps(root)).toEqual([]);
  });

  it('refuses an invalid file, naming it', async () => {
    const root = rootWith({ broken: '{"name":"broken"}' });
    const error = await listApps(root).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CinectlError);
    expect((error as Error).message).toMatch(/^\/var\/www\/broken\/\.deploy_config is not valid \(ports: /);
  });

  it('refuses a file whose name does not match its directory', async () => {
    const root = rootWith({ other: config('myapp', 8001) });
    await expect(listApps(root)).rejects.toThrow('names the app "myapp" but lives in /var/www/other');
  });
});
