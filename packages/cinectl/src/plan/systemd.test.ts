import { describe, expect, it } from 'vitest';
import { changedLines } from './__golden__/changed-lines.ts';
import { limitsOfUnit, parseLimitCount, parseMemoryMax } from './limits.ts';
import { cpuDropIn, instanceName, serviceUnit, type UnitVars, unitName } from './systemd.ts';

const defaults: UnitVars = {
  app: 'myapp',
  user: 'myapp',
  appDir: '/var/www/myapp',
  dataDir: '/var/lib/myapp',
  nodePath: '/usr/bin/node',
};
const changed = (change: Partial<UnitVars>) =>
  changedLines(serviceUnit(defaults), serviceUnit({ ...defaults, ...change }));

describe('serviceUnit', () => {
  it('golden render with the defaults', async () => {
    await expect(serviceUnit(defaults)).toMatchFileSnapshot('__golden__/defaults/systemd/app@.service');
  });

  it('app names the unit, its description and its log identifier', () => {
    expect(changed({ app: 'second' })).toEqual([
      '- # cinectl: web workers of myapp, one instance per port (systemctl start myapp@8001). Rendered by cinectl.',
      '+ # cinectl: web workers of second, one instance per port (systemctl start second@8001). Rendered by cinectl.',
      '- Description=CineStream myapp web worker on port %i',
      '+ Description=CineStream second web worker on port %i',
      '- SyslogIdentifier=myapp-%i',
      '+ SyslogIdentifier=second-%i',
      '- # Hardening (systemd-analyze security myapp@.service). MemoryDenyWriteExecute stays off: V8 compiles to memory.',
      '+ # Hardening (systemd-analyze security second@.service). MemoryDenyWriteExecute stays off: V8 compiles to memory.',
    ]);
  });

  it('user runs the workers', () => {
    expect(changed({ user: 'cs-myapp' })).toEqual([
      '- User=myapp',
      '- Group=myapp',
      '+ User=cs-myapp',
      '+ Group=cs-myapp',
    ]);
  });

  it('appDir holds the release, the .env files and the script', () => {
    expect(changed({ appDir: '/srv/myapp' })).toEqual([
      '- WorkingDirectory=/var/www/myapp/current',
      '- EnvironmentFile=/var/www/myapp/.env',
      '+ WorkingDirectory=/srv/myapp/current',
      '+ EnvironmentFile=/srv/myapp/.env',
      '- EnvironmentFile=-/var/www/myapp/site.env',
      '+ EnvironmentFile=-/srv/myapp/site.env',
      '- ExecStart=/usr/bin/node /var/www/myapp/current/dist/server.js',
      '+ ExecStart=/usr/bin/node /srv/myapp/current/dist/server.js',
    ]);
  });

  it('dataDir is the only writable path', () => {
    expect(changed({ dataDir: '/srv/data/myapp' })).toEqual([
      '- ReadWritePaths=/var/lib/myapp',
      '+ ReadWritePaths=/srv/data/myapp',
    ]);
  });

  it('nodePath runs the script', () => {
    expect(changed({ nodePath: '/usr/local/bin/node' })).toEqual([
      '- ExecStart=/usr/bin/node /var/www/myapp/current/dist/server.js',
      '+ ExecStart=/usr/local/bin/node /var/www/myapp/current/dist/server.js',
    ]);
  });

  it('after orders the workers behind other units, e.g. MongoDB', () => {
    expect(changed({ after: ['mongodb.service'] })).toEqual([
      '- After=network-online.target',
      '+ After=network-online.target mongodb.service',
    ]);
  });

  it('takes PORT from the instance and never from the .env file', () => {
    const unit = serviceUnit(defaults);
    expect(unit).toContain('\nEnvironment=PORT=%i\n');
    expect(unit).toContain('\nEnvironmentFile=/var/www/myapp/.env\n');
    expect(unit).not.toMatch(/MemoryDenyWriteExecute=/m);
  });

  it('refuses values that would break the unit', () => {
    expect(() => serviceUnit({ ...defaults, app: 'My App' })).toThrow(/cannot name a systemd unit/);
    expect(() => serviceUnit({ ...defaults, user: 'root user' })).toThrow(/not a valid system user/);
    expect(() => serviceUnit({ ...defaults, appDir: 'var/www/myapp' })).toThrow(/appDir must be an absolute path/);
    expect(() => serviceUnit({ ...defaults, dataDir: '/var/lib/my app' })).toThrow(/dataDir must be an absolute path/);
    expect(() => serviceUnit({ ...defaults, nodePath: '/usr/bin/node\nExecStartPre=/bin/sh' })).toThrow(/nodePath/);
    expect(() => serviceUnit({ ...defaults, after: ['mongodb'] })).toThrow(/not a systemd unit name/);
  });
});

describe('unit names', () => {
  it('names the template and its instances', () => {
    expect(unitName('myapp')).toBe('myapp@.service');
    expect(instanceName('myapp', 8001)).toBe('myapp@8001.service');
    expect(() => instanceName('myapp', 0)).toThrow(/not a port number/);
    expect(() => unitName('../x')).toThrow(/cannot name a systemd unit/);
  });

  it('holds the app name to the rule deploy-app applies', () => {
    for (const name of ['1app', 'app-', 'my--app', 'nginx']) expect(() => unitName(name)).toThrow(/cannot name/);
    expect(() => instanceName('myapp', 65536)).toThrow('65536 is not a port number (1–65535)');
  });
});

describe('cpuDropIn', () => {
  it('golden render with one core', async () => {
    await expect(cpuDropIn([0])).toMatchFileSnapshot('__golden__/defaults/systemd/cpu.conf');
  });

  it('lists the cores once each, in order', () => {
    expect(changedLines(cpuDropIn([0]), cpuDropIn([3, 1, 3]))).toEqual(['- CPUAffinity=0', '+ CPUAffinity=1 3']);
  });

  it('needs at least one valid core', () => {
    expect(() => cpuDropIn([])).toThrow(/at least one CPU/);
    expect(() => cpuDropIn([-1])).toThrow(/at least one CPU/);
  });
});

describe('resource limits', () => {
  it('are in the unit, configurable, and read back from it for the next deploy', () => {
    const unit = serviceUnit({ ...defaults, limits: { memoryMax: '768M', tasksMax: 256, limitNofile: 4096 } });
    expect(unit).toContain('\nMemoryMax=768M\nTasksMax=256\nLimitNOFILE=4096\n');
    expect(limitsOfUnit(unit)).toEqual({ memoryMax: '768M', tasksMax: 256, limitNofile: 4096 });
    expect(limitsOfUnit(null)).toEqual({});
    expect(serviceUnit(defaults)).toContain('\nMemoryMax=1G\nTasksMax=512\nLimitNOFILE=65536\n');
    expect(() => parseMemoryMax('lots')).toThrow(/--memory-max "lots" is not a size/);
    expect(() => parseLimitCount('--nofile', ' 4096', 1_048_576)).toThrow(/must be a whole number from 16/);
  });
});
