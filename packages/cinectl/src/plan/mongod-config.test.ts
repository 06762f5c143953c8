import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CinectlError } from '../errors.ts';
import { MONGOD_CONFIG } from './layout.ts';
import { defaultMongodConfig } from './mongo.ts';
import { fixMongodConfig, mongodPort } from './mongod-config.ts';

/** /etc/mongodb.conf as the mongodb-bin package installs it: written for MongoDB before 6.1. */
const PACKAGED = `# mongodb.conf
# See https://www.mongodb.com/docs/manual/reference/configuration-options/

systemLog:
  destination: file
  path: /var/log/mongodb/mongod.log
  logAppend: true
  # verbosity: 1
storage:
  dbPath: /var/lib/mongodb
  journal:
    enabled: true
net:
  port: 27017
  bindIp: 127.0.0.1
processManagement:
  fork: false
  timeZoneInfo: /usr/share/zoneinfo
`;

const fix = (text: string) => fixMongodConfig(text, MONGOD_CONFIG);
const settings = (text: string) => parse(fix(text)) as Record<string, Record<string, unknown>>;

describe('fixMongodConfig on the packaged configuration', () => {
  const fixed = fix(PACKAGED);
  const parsed = parse(fixed) as Record<string, Record<string, unknown>>;

  it('drops storage.journal.enabled (and the journal section it leaves empty), turns authorization on', () => {
    expect(parsed.storage).toEqual({ dbPath: '/var/lib/mongodb' });
    expect(parsed.security).toEqual({ authorization: 'enabled' });
    expect(parsed.net).toEqual({ port: 27017, bindIp: '127.0.0.1' });
  });

  it('keeps logs, process settings and comments as they were', () => {
    expect(parsed.systemLog).toEqual({
      destination: 'file',
      path: '/var/log/mongodb/mongod.log',
      logAppend: true,
    });
    expect(parsed.processManagement).toEqual({ fork: false, timeZoneInfo: '/usr/share/zoneinfo' });
    expect(fixed).toContain('# See https://www.mongodb.com/docs/manual/reference/configuration-options/');
    expect(fixed).toContain('# verbosity: 1');
  });

  it('is a fixed point: the fixed file comes back byte for byte', () => {
    expect(fix(fixed)).toBe(fixed);
  });
});

describe('fixMongodConfig on other inputs', () => {
  it('binds to 127.0.0.1 only, whatever was there', () => {
    expect(settings('net:\n  bindIp: 0.0.0.0,::1\n').net).toEqual({ bindIp: '127.0.0.1' });
    expect(settings('net:\n  bindIpAll: true\n  port: 27018\n').net).toEqual({ port: 27018, bindIp: '127.0.0.1' });
  });

  it('turns authorization on when it was disabled, keeping the other security settings', () => {
    expect(settings('security:\n  authorization: disabled\n  javascriptEnabled: false\n').security).toEqual({
      authorization: 'enabled',
      javascriptEnabled: false,
    });
  });

  it('drops the mmapv1 settings and other keys removed from MongoDB, keeping what is still valid', () => {
    const text = [
      'storage:',
      '  dbPath: /srv/mongo',
      '  engine: mmapv1',
      '  repairPath: /srv/repair',
      '  indexBuildRetry: false',
      '  mmapv1:',
      '    smallFiles: true',
      '  journal:',
      '    enabled: true',
      '    commitIntervalMs: 100',
      'net:',
      '  http:',
      '    enabled: false',
      '',
    ].join('\n');
    const fixed = settings(text);
    expect(fixed.storage).toEqual({ dbPath: '/srv/mongo', journal: { commitIntervalMs: 100 } });
    expect(fixed.net).toEqual({ bindIp: '127.0.0.1' });
  });

  it('makes a complete configuration out of an empty file or one with only comments', () => {
    expect(parse(fix(''))).toEqual({ net: { bindIp: '127.0.0.1' }, security: { authorization: 'enabled' } });
    const commented = fix('# nothing here yet\n# storage:\n');
    expect(commented.startsWith('# nothing here yet\n# storage:\n')).toBe(true);
    expect(parse(commented)).toEqual({ net: { bindIp: '127.0.0.1' }, security: { authorization: 'enabled' } });
  });

  it('fills sections that are present but empty', () => {
    expect(parse(fix('net:\nsecurity:\n'))).toEqual({
      net: { bindIp: '127.0.0.1' },
      security: { authorization: 'enabled' },
    });
  });

  it('returns an already fixed file byte for byte, odd spacing and all', () => {
    const text = '# mine\nnet:   { bindIp: "127.0.0.1",  port: 27017 }\nsecurity:\n    authorization: enabled   # on\n';
    expect(fix(text)).toBe(text);
  });

  it('leaves the file written when there is none already fixed', () => {
    const text = defaultMongodConfig();
    expect(fix(text)).toBe(text);
    expect(parse(text).security).toEqual({ authorization: 'enabled' });
  });
});

describe('fixMongodConfig refusals', () => {
  const reason = (text: string) => {
    try {
      fix(text);
    } catch (error) {
      expect(error).toBeInstanceOf(CinectlError);
      return (error as CinectlError).message;
    }
    throw new Error('no error');
  };

  it('names the file when it is not valid YAML', () => {
    expect(reason('net:\n  bindIp: [127.0.0.1\n')).toMatch(/^\/etc\/mongodb\.conf is not .*: it is not valid YAML \(/);
    expect(reason('net:\n  port: 1\nnet:\n  port: 2\n')).toMatch(/is not valid YAML \(Map keys must be unique/);
  });

  it('explains the old key = value format and other shapes it cannot fix', () => {
    expect(reason('bind_ip = 0.0.0.0\nport = 27017\n')).toMatch(/old "key = value" format/);
    expect(reason('- net\n')).toMatch(/top level must be a mapping/);
    expect(reason('net: localhost\n')).toMatch(/"net" must be a mapping/);
  });
});

describe('mongodPort', () => {
  it('reads net.port, 27017 when it is not set, and refuses what is not a port', () => {
    expect(mongodPort('net:\n  port: 27018\n', MONGOD_CONFIG)).toBe(27018);
    expect(mongodPort(PACKAGED.replace('  port: 27017\n', ''), MONGOD_CONFIG)).toBe(27017);
    expect(() => mongodPort('net:\n  port: "x"\n', MONGOD_CONFIG)).toThrow(/net\.port must be a port number/);
  });
});
