import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showtimeIdentity } from '../domain/merge.ts';
import { VISITOR_COUNTER } from '../domain/visitors.ts';
import { openSqliteStore } from './sqlite.ts';
import { storeContract } from './store.contract.ts';

const run = promisify(execFile);
const WRITER = resolve(import.meta.dirname, '../../test/fixtures/sqlite-writer.ts');

let dir: string;
let files = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cinestream-sqlite-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function freshFile(): string {
  files += 1;
  return join(dir, `store-${files}`, 'cinestream.db');
}

storeContract('sqlite store contract', async () => openSqliteStore(freshFile()));

describe('sqlite store', () => {
  it('creates the parent folder and puts the database in WAL mode', async () => {
    const file = freshFile();
    const store = openSqliteStore(file);
    await store.init();
    await store.close();

    const db = new DatabaseSync(file, { readOnly: true });
    try {
      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    } finally {
      db.close();
    }
  });

  it('is usable without init(), after which init() reports nothing to do', async () => {
    const store = openSqliteStore(freshFile());
    try {
      expect(await store.addToCounter(VISITOR_COUNTER, 1)).toBe(1);
      expect(await store.init()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('loses no update when 12 processes write the same file at once', { timeout: 30_000 }, async () => {
    const WORKERS = 12;
    const ITERATIONS = 40;
    const file = freshFile();
    const store = openSqliteStore(file);
    await store.init();
    await store.upsertLocation({
      slug: 'kyiv',
      names: { uk: 'Київ', en: 'Kyiv', ru: 'Киев' },
      timezone: 'Europe/Kyiv',
    });
    const versionBefore = await store.cityVersion('kyiv');

    const startAt = String(Date.now() + 1500);
    const outputs = await Promise.all(
      Array.from({ length: WORKERS }, (_, worker) =>
        run(
          process.execPath,
          ['--disable-warning=ExperimentalWarning', WRITER, file, String(worker), String(ITERATIONS), startAt],
          { timeout: 25_000 },
        ),
      ),
    );

    const expected = new Map<string, Set<string>>();
    for (const { stdout } of outputs) {
      for (const line of stdout.trim().split('\n')) {
        const { key, theaterKey, instant, format } = JSON.parse(line) as Record<string, string>;
        const showtimes = expected.get(`${key}/${theaterKey}`) ?? new Set<string>();
        showtimes.add(`${instant}|${format}`);
        expected.set(`${key}/${theaterKey}`, showtimes);
      }
    }
    const stored = new Map<string, string[]>();
    for (const movie of await store.moviesFor('kyiv', { from: '2035-06-01', to: '2035-06-30' }, new Date())) {
      for (const theater of movie.theaters) {
        stored.set(`${movie.key}/${theater.theaterKey}`, theater.showtimes.map(showtimeIdentity).sort());
      }
    }

    expect(await store.counter(VISITOR_COUNTER)).toBe(WORKERS * ITERATIONS);
    expect(await store.cityVersion('kyiv')).toBe(versionBefore + WORKERS * ITERATIONS);
    expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [where, showtimes] of expected) {
      const found = stored.get(where) ?? [];
      expect(new Set(found).size, `duplicated showtime in ${where}`).toBe(found.length);
      expect(found, `showtimes of ${where}`).toEqual([...showtimes].sort());
    }
    await store.close();
  });
});
