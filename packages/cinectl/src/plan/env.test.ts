import { describe, expect, it } from 'vitest';
import { changedLines } from './__golden__/changed-lines.ts';
import { portRange, type WebEnvVars, webEnv } from './env.ts';

const block = (first: number) => Array.from({ length: 12 }, (_, i) => first + i);
const defaults: WebEnvVars = {
  app: 'myapp',
  ports: block(8001),
  basePath: '/myapp',
  secretKey: 'k'.repeat(64),
  dataDir: '/var/lib/myapp',
};
const changed = (change: Partial<WebEnvVars>) => changedLines(webEnv(defaults), webEnv({ ...defaults, ...change }));

describe('webEnv', () => {
  it('golden render with the defaults', async () => {
    await expect(webEnv(defaults)).toMatchFileSnapshot('__golden__/defaults/env/web.env');
  });

  it('has no PORT: each systemd instance sets its own', () => {
    expect(webEnv(defaults)).not.toMatch(/^PORT=/m);
  });

  it('app and ports go into the header comment', () => {
    expect(changed({ app: 'second', ports: block(8013) })).toEqual([
      '- # CineStream web worker settings for myapp (rendered by cinectl; mode 0600).',
      '- # PORTS=8001-8012: one worker per port. Each systemd instance gets its PORT from its name (myapp@PORT),',
      '+ # CineStream web worker settings for second (rendered by cinectl; mode 0600).',
      '+ # PORTS=8013-8024: one worker per port. Each systemd instance gets its PORT from its name (second@PORT),',
    ]);
  });

  it('basePath, secretKey, dataDir', () => {
    expect(changed({ basePath: '/films' })).toEqual(['- BASE_PATH=/myapp', '+ BASE_PATH=/films']);
    expect(changed({ secretKey: 's'.repeat(40) })).toEqual([
      `- SECRET_KEY=${'k'.repeat(64)}`,
      `+ SECRET_KEY=${'s'.repeat(40)}`,
    ]);
    expect(changed({ dataDir: '/srv/myapp' })).toEqual(['- DATA_DIR=/var/lib/myapp', '+ DATA_DIR=/srv/myapp']);
  });

  it('adds MONGO_URI, DONATE_URL and GEMINI_API_KEY only when given', () => {
    expect(changed({ mongoUri: 'mongodb://u:p@127.0.0.1:27017/myapp' })).toEqual([
      '+ MONGO_URI=mongodb://u:p@127.0.0.1:27017/myapp',
    ]);
    expect(changed({ donateUrl: 'https://example.com/donate' })).toEqual(['+ DONATE_URL=https://example.com/donate']);
    expect(changed({ geminiApiKey: 'AIza-test' })).toEqual(['+ GEMINI_API_KEY=AIza-test']);
  });

  it('refuses values that would break the file, without echoing secrets', () => {
    expect(() => webEnv({ ...defaults, basePath: 'myapp/' })).toThrow(/BASE_PATH must be a path like \/myapp/);
    expect(() => webEnv({ ...defaults, secretKey: 'short' })).toThrow(/at least 32 characters/);
    const injected = `${'k'.repeat(40)}\nNODE_ENV=development`;
    expect(() => webEnv({ ...defaults, secretKey: injected })).toThrow(
      /^SECRET_KEY cannot go into the \.env file[^(]*$/,
    );
    expect(() => webEnv({ ...defaults, mongoUri: 'mongodb://u:p w@h/db' })).toThrow(/^MONGO_URI cannot[^(]*$/);
    expect(() => webEnv({ ...defaults, dataDir: '/var/lib/my app' })).toThrow(/\(got "\/var\/lib\/my app"\)/);
  });
});

describe('portRange', () => {
  it('writes a block as first-last and anything else one by one', () => {
    expect(portRange(block(8013))).toBe('8013-8024');
    expect(portRange([8003, 8001, 8002])).toBe('8001-8003');
    expect(portRange([8001, 8003])).toBe('8001,8003');
    expect(portRange([8001])).toBe('8001');
    expect(() => portRange([])).toThrow(/at least one port/);
  });
});
