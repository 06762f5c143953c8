import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRoot, removeRoot } from '../../test/support/root.ts';
import { Sensitive } from '../plan/sensitive.ts';
import { existingMongoPassword, readMongoSettings, serializeMongoSettings } from './mongo-config.ts';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) removeRoot(root);
});

function rootWith(files: Record<string, string>): string {
  const root = makeRoot({ nginx: false });
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const PASSWORD = 'f'.repeat(64);

describe('mongo.json', () => {
  it('round-trips through serializeMongoSettings, the password kept as a secret', async () => {
    const settings = {
      host: '127.0.0.1',
      port: 27017,
      admin: { user: 'cinectl-admin', password: new Sensitive(PASSWORD) },
    };
    const root = rootWith({ 'etc/cinectl/mongo.json': serializeMongoSettings(settings) });
    const read = await readMongoSettings(root);
    expect(read?.admin.password.reveal()).toBe(PASSWORD);
    expect(JSON.stringify(read)).not.toContain(PASSWORD);
    expect({ ...read, admin: { user: read?.admin.user } }).toEqual({
      host: '127.0.0.1',
      port: 27017,
      admin: { user: 'cinectl-admin' },
    });
  });

  it('is absent on a host without MongoDB, and refused with the field named when wrong', async () => {
    expect(await readMongoSettings(rootWith({}))).toBeNull();
    const short = rootWith({
      'etc/cinectl/mongo.json': '{"host":"127.0.0.1","port":27017,"admin":{"user":"a","password":"x"}}',
    });
    await expect(readMongoSettings(short)).rejects.toThrow(
      '/etc/cinectl/mongo.json is not valid: admin.password must be at least 16 characters',
    );
    await expect(readMongoSettings(rootWith({ 'etc/cinectl/mongo.json': '{' }))).rejects.toThrow(
      /not valid: it is not JSON/,
    );
  });

  it('refuses an IPv6 literal, which mongodb://HOST:PORT cannot take as it is', async () => {
    const json = (host: string) =>
      serializeMongoSettings({ host, port: 27017, admin: { user: 'a', password: new Sensitive(PASSWORD) } });
    await expect(readMongoSettings(rootWith({ 'etc/cinectl/mongo.json': json('::1') }))).rejects.toThrow(
      '/etc/cinectl/mongo.json is not valid: host must be a host name or an IPv4 address like 127.0.0.1',
    );
    expect((await readMongoSettings(rootWith({ 'etc/cinectl/mongo.json': json('db.internal') })))?.host).toBe(
      'db.internal',
    );
  });
});

describe('existingMongoPassword', () => {
  const env = (uri: string) => ({ 'var/www/myapp/.env': `SECRET_KEY=${'e'.repeat(64)}\nMONGO_URI=${uri}\n` });

  it("reads the password of the app's own user from its .env", async () => {
    const root = rootWith(env(`mongodb://myapp:${PASSWORD}@127.0.0.1:27017/myapp?authSource=myapp`));
    expect(await existingMongoPassword(root, 'myapp')).toBe(PASSWORD);
  });

  it("ignores another user's URI, a short password, a broken URI and a missing .env", async () => {
    expect(await existingMongoPassword(rootWith(env(`mongodb://other:${PASSWORD}@h/myapp`)), 'myapp')).toBeNull();
    expect(await existingMongoPassword(rootWith(env('mongodb://myapp:short@h/myapp')), 'myapp')).toBeNull();
    expect(await existingMongoPassword(rootWith(env('not a uri')), 'myapp')).toBeNull();
    expect(await existingMongoPassword(rootWith({}), 'myapp')).toBeNull();
  });
});
