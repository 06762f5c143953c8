import { describe, expect, it } from 'vitest';
import { displayArgv, formatCommand } from '../host/root.ts';
import {
  daemonReload,
  nginxReload,
  nginxTest,
  systemctl,
  systemctlQuery,
  useradd,
  userdel,
  webBuild,
  webDeploy,
  webInstall,
} from './argv.ts';
import { Sensitive } from './sensitive.ts';
import { hostPath } from './types.ts';

const line = (argv: string[] | null) => (argv === null ? null : argv.join(' '));

describe('systemctl', () => {
  it('acts on the running system without --root', () => {
    expect(line(systemctl('start', 'myapp@8001.service', '/'))).toBe('systemctl start myapp@8001.service');
    expect(line(systemctl('enable', 'nginx.service', '/'))).toBe('systemctl enable nginx.service');
    expect(line(systemctlQuery('is-active', 'nginx.service', '/'))).toBe('systemctl is-active nginx.service');
    expect(line(daemonReload())).toBe('systemctl daemon-reload');
  });

  it('enables and disables offline under --root and refuses what needs a running systemd', () => {
    expect(line(systemctl('enable', 'myapp@8001.service', '/tmp/r'))).toBe(
      'systemctl --root=/tmp/r enable myapp@8001.service',
    );
    expect(line(systemctl('disable', 'myapp@8001.service', '/tmp/r'))).toBe(
      'systemctl --root=/tmp/r disable myapp@8001.service',
    );
    expect(line(systemctlQuery('is-enabled', 'x.service', '/tmp/r'))).toBe(
      'systemctl --root=/tmp/r is-enabled x.service',
    );
    for (const action of ['start', 'stop', 'restart', 'reload'] as const) {
      expect(systemctl(action, 'myapp@8001.service', '/tmp/r')).toBeNull();
    }
    expect(systemctlQuery('is-active', 'x.service', '/tmp/r')).toBeNull();
  });
});

describe('accounts', () => {
  const user = { name: 'myapp', home: '/var/www/myapp', shell: '/usr/bin/nologin' };

  it('creates a system user with its own group and no home directory', () => {
    expect(line(useradd(user, '/'))).toBe(
      'useradd --system --user-group --home-dir /var/www/myapp --no-create-home --shell /usr/bin/nologin myapp',
    );
    expect(line(userdel('myapp', '/'))).toBe('userdel myapp');
  });

  it("uses the root's /etc under --root", () => {
    expect(line(useradd(user, '/tmp/r'))).toBe(
      'useradd --prefix /tmp/r --system --user-group --home-dir /var/www/myapp --no-create-home --shell /usr/bin/nologin myapp',
    );
    expect(line(userdel('myapp', '/tmp/r'))).toBe('userdel --prefix /tmp/r myapp');
  });
});

describe('nginx and the web build', () => {
  it('tests a given nginx.conf and reloads through systemd', () => {
    expect(line(nginxTest('/tmp/r/etc/nginx/nginx.conf'))).toBe('nginx -t -q -c /tmp/r/etc/nginx/nginx.conf');
    expect(line(nginxReload())).toBe('systemctl reload nginx.service');
  });

  it('installs the lockfile as it is, from the store when it can, then builds and deploys the web package', () => {
    expect(formatCommand(displayArgv(webInstall(), '/'))).toBe(
      'pnpm --filter @cinestream/web... install --frozen-lockfile --prefer-offline',
    );
    expect(formatCommand(displayArgv(webBuild(), '/'))).toBe('pnpm --filter @cinestream/web build');
    expect(formatCommand(displayArgv(webDeploy(hostPath('/var/www/a/.staging-1')), '/tmp/r'))).toBe(
      'pnpm --filter @cinestream/web deploy --prod --legacy /tmp/r/var/www/a/.staging-1',
    );
  });
});

describe('printing argv', () => {
  it('quotes words a shell would split and never shows a secret', () => {
    expect(formatCommand(['echo', 'a b', "it's", '--x=1', '/p/a_b.c'])).toBe(`echo 'a b' 'it'\\''s' --x=1 /p/a_b.c`);
    expect(formatCommand(displayArgv(['mongosh', '--password', new Sensitive('hunter2')], '/'))).toBe(
      "mongosh --password '[REDACTED]'",
    );
  });
});
