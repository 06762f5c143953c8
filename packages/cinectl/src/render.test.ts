import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RenderError, render, TEMPLATES_DIR } from './render.ts';

describe('render', () => {
  it('finds the repository templates', () => {
    expect(existsSync(join(TEMPLATES_DIR, 'nginx/http.conf.hbs'))).toBe(true);
  });

  it('renders without HTML escaping', () => {
    expect(render('systemd/cpu.conf.hbs', { cpus: '0 1' })).toContain('\nCPUAffinity=0 1\n');
    expect(render('nginx/http.conf.hbs', { cacheDir: '/a&b' })).toContain('proxy_cache_path /a&b ');
  });

  it('a missing variable is a RenderError naming the template and the variable', () => {
    let error: unknown;
    try {
      render('nginx/app.conf.hbs', {
        name: 'myapp',
        ports: [8001],
        firstPort: 8001,
        lastPort: 8001,
        domain: undefined,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RenderError);
    expect(error).toMatchObject({ template: 'nginx/app.conf.hbs', variable: 'keepalive' });
    expect((error as Error).message).toMatch(
      /^template nginx\/app\.conf\.hbs needs the variable "keepalive" \(line \d+\)/,
    );
  });

  it('an unknown template is a RenderError', () => {
    expect(() => render('nginx/nope.hbs', {})).toThrow(RenderError);
    expect(() => render('nginx/nope.hbs', {})).toThrow(/template nginx\/nope\.hbs not found/);
  });
});
