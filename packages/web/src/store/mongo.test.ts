import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { openMongoStore } from './mongo.ts';
import { storeContract } from './store.contract.ts';

const uri = process.env.MONGO_TEST_URI;

if (uri) {
  // One database per test, named after this run; all of them are dropped at the end.
  const prefix = `cinestream_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const databases: string[] = [];

  afterAll(async () => {
    const client = await new MongoClient(uri).connect();
    try {
      for (const name of databases) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  });

  storeContract('mongo store contract', async () => {
    const name = `${prefix}_${databases.length + 1}`;
    databases.push(name);
    return openMongoStore(uri, name);
  });

  // MongoDB only: FerretDB (test/ferretdb/) runs the contract above on every run, but has no TTL indexes.
  it('deletes expired movies and locks by TTL indexes', async () => {
    const name = `${prefix}_ttl`;
    databases.push(name);
    const store = await openMongoStore(uri, name);
    const client = await new MongoClient(uri).connect();
    try {
      await store.init();
      for (const collection of ['movies', 'locks']) {
        const indexes = await client.db(name).collection(collection).listIndexes().toArray();
        expect(indexes.find((index) => index.key.expiresAt === 1)?.expireAfterSeconds).toBe(0);
      }
    } finally {
      await Promise.all([store.close(), client.close()]);
    }
  });
} else {
  const message = 'mongo store contract: SKIPPED — set MONGO_TEST_URI=mongodb://… to run against a real server';
  console.warn(message);
  describe.skip(message, () => {
    storeContract('mongo store contract', () => Promise.reject(new Error('MONGO_TEST_URI is not set')));
  });
  const ttl = 'TTL indexes on movies and locks: skipped (FerretDB lacks TTL indexes; set MONGO_TEST_URI)';
  console.warn(ttl);
  it.skip(ttl, () => {});
}
