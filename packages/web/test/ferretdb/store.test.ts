// The store contract against FerretDB, a server speaking MongoDB's protocol (SQLite backend), so that the MongoDB
// adapter is checked on every run, not only where a real MongoDB is at hand (MONGO_TEST_URI, src/store/mongo.test.ts).
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMongoStore } from '../../src/store/mongo.ts';
import { storeContract } from '../../src/store/store.contract.ts';
import { ferretdb } from '../support/checkers.ts';
import { type FerretDb, startFerretDb } from '../support/ferretdb.ts';

const binary = ferretdb();

describe.skipIf(binary.skip)(binary.skip ? `FerretDB store contract: SKIPPED, ${binary.skip}` : 'FerretDB', () => {
  let server: FerretDb;
  let databases = 0;

  beforeAll(async () => {
    server = await startFerretDb(binary.path);
  });

  afterAll(async () => {
    await server?.close();
  });

  // A fresh database per test; they all go with the server's folder.
  storeContract('mongo store contract on FerretDB', () => openMongoStore(server.uri, `contract_${++databases}`));

  it('makes plain indexes where MongoDB gets TTL ones, and says once that the hourly purge expires movies', async () => {
    const notices: string[] = [];
    const store = await openMongoStore(server.uri, 'expiry', (_level, message) => notices.push(message));
    const client = await new MongoClient(server.uri).connect();
    try {
      await store.init();
      await store.init();
      const indexes = await client.db('expiry').collection('movies').listIndexes().toArray();
      const expiresAt = indexes.find((index) => index.key.expiresAt === 1);
      expect(expiresAt).toBeDefined();
      expect(expiresAt?.expireAfterSeconds).toBeUndefined();
      expect(notices.filter((line) => /hourly purge/.test(line))).toHaveLength(1);
    } finally {
      await Promise.all([store.close(), client.close()]);
    }
  });
});
