import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRoot, removeRoot } from '../../test/support/root.ts';
import { envValue, existingSecretKey } from './app-state.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

function rootWithEnv(env: string | null): string {
  const root = makeRoot({ nginx: false });
  roots.push(root);
  if (env !== null) {
    mkdirSync(join(root, 'var/www/myapp'), { recursive: true });
    writeFileSync(join(root, 'var/www/myapp/.env'), env);
  }
  return root;
}

describe("values of the app's .env", () => {
  const root = () => rootWithEnv(`NODE_ENV=production\nSECRET_KEY= ${'k'.repeat(64)} \nMY_SECRET_KEY=other\n`);

  it('reads one variable by its whole name, trimmed; null when the line or the file is missing', async () => {
    const at = root();
    expect(await envValue(at, 'myapp', 'SECRET_KEY')).toBe('k'.repeat(64));
    expect(await envValue(at, 'myapp', 'NODE_ENV')).toBe('production');
    expect(await envValue(at, 'myapp', 'MONGO_URI')).toBeNull();
    expect(await envValue(rootWithEnv(null), 'myapp', 'SECRET_KEY')).toBeNull();
    await expect(envValue(at, 'myapp', 'A.*')).rejects.toThrow(/not a variable name/);
  });

  it('keeps a SECRET_KEY of 32 characters or more', async () => {
    expect(await existingSecretKey(root(), 'myapp')).toBe('k'.repeat(64));
    expect(await existingSecretKey(rootWithEnv('SECRET_KEY=short\n'), 'myapp')).toBeNull();
  });
});
