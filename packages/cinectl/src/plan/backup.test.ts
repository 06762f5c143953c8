import { describe, expect, it } from 'vitest';
import { backupsToPrune, mongodumpAppArgv, mongorestoreAppArgv, parseKeep } from './backup.ts';

describe('backups', () => {
  it("mongodump and mongorestore of the app's own database, the URI in a config file", () => {
    expect(mongodumpAppArgv('/tmp/c/tool.yaml', 'films', '/b/films-20250314T091500Z.archive.gz')).toEqual([
      'mongodump',
      '--config=/tmp/c/tool.yaml',
      '--db=films',
      '--archive=/b/films-20250314T091500Z.archive.gz',
      '--gzip',
    ]);
    expect(mongorestoreAppArgv('/tmp/c/tool.yaml', 'films', '/b/f.archive.gz')).toEqual([
      'mongorestore',
      '--config=/tmp/c/tool.yaml',
      '--nsInclude=films.*',
      '--drop',
      '--archive=/b/f.archive.gz',
      '--gzip',
    ]);
  });

  it('keeps the newest N of the app’s own backups and nothing else is touched', () => {
    const names = [
      'films-20250103T000000Z.db',
      'films-20250101T000000Z.db',
      'films-20250102T000000Z.archive.gz',
      'other-20240101T000000Z.db',
      'notes.txt',
    ];
    expect(backupsToPrune('films', names, 2)).toEqual(['films-20250101T000000Z.db']);
    expect(parseKeep(undefined)).toBe(7);
    expect(() => parseKeep('0')).toThrow(/--keep "0" must be a whole number from 1 to 1000/);
  });
});
