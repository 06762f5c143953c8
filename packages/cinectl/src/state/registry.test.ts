import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRoot, removeRoot } from '../../test/support/root.ts';
import { parseDeployConfig, serializeDeployConfig } from './deploy-config.ts';
import { brokenAppError, describeBroken, findApp, listApps, readRegistry } from './registry.ts';

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

  it('keeps an invalid file out of the apps and lists it as broken, naming the file and the field', async () => {
    const root = rootWith({ broken: '{"name":"broken","ports":[8013, "x"]}', good: config('good', 8001) });
    const registry = await readRegistry(root);
    expect(registry.apps.map((app) => app.name)).toEqual(['good']);
    expect(registry.broken).toEqual([
      {
        dir: 'broken',
        file: '/var/www/broken/.deploy_config',
        problems: [
          'ports.1: Invalid input: expected number, received string',
          'created: is missing',
          'release: is missing',
        ],
        fix: 'fix the file by hand; cinectl needs it to know which ports the app holds',
        ports: [8013],
      },
    ]);
    const [entry] = registry.broken;
    expect(entry && brokenAppError(entry).message).toMatch(
      /^\/var\/www\/broken\/\.deploy_config is not valid \(ports\.1: /,
    );
    expect(await listApps(root)).toEqual(registry.apps);
  });

  it('lists a file whose name does not match its directory (a cp -a copy) as broken, the original as good', async () => {
    const root = rootWith({ myapp: config('myapp', 8001), 'myapp-copy': config('myapp', 8001) });
    const registry = await readRegistry(root);
    expect(registry.apps.map((app) => app.name)).toEqual(['myapp']);
    expect(registry.broken).toHaveLength(1);
    const [entry] = registry.broken;
    expect(entry?.dir).toBe('myapp-copy');
    expect(entry && describeBroken(entry)).toBe(
      '/var/www/myapp-copy/.deploy_config is not valid (names the app "myapp" but lives in /var/www/myapp-copy)',
    );
    expect(entry?.fix).toMatch(/^if \/var\/www\/myapp-copy is a copy, move it out of \/var\/www/);
    expect(entry?.ports).toEqual([8001, 8002]);
  });

  it('lists the later of two apps holding the same ports or domain as broken', async () => {
    const later = (name: string, first: number, domain: string | null) =>
      JSON.stringify({ ...JSON.parse(config(name, first)), domain, created: '2025-04-01T00:00:00.000Z' });
    const root = rootWith({
      zeta: JSON.stringify({ ...JSON.parse(config('zeta', 8001)), domain: 'films.example.com' }),
      copy: later('copy', 8002, null),
      other: later('other', 8013, 'films.example.com'),
      fine: later('fine', 8025, 'news.example.com'),
    });
    const registry = await readRegistry(root);
    expect(registry.apps.map((app) => app.name)).toEqual(['zeta', 'fine']);
    expect(registry.broken.map((entry) => [entry.dir, entry.problems])).toEqual([
      ['copy', ['ports: 8002 is also a port of the app "zeta"']],
      ['other', ['domain: films.example.com is also the domain of the app "zeta"']],
    ]);
  });
});
