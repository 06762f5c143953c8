import { describe, expect, it } from 'vitest';
import { planLines } from '../../test/support/plan-text.ts';
import { installPlan, type PackageFacts, serverNginxConf, setupPlan, YAY } from './init-server.ts';
import { MONGO_AUR_PACKAGES } from './mongo.ts';
import { DEFAULT_NGINX_HOST, withCinectlInclude } from './nginx.ts';
import { BASE_PACKAGES } from './packages.ts';
import type { Builder } from './yay.ts';

const BUILD_ACCOUNT: Builder = { user: 'cinectl-build', group: 'cinectl-build', dedicated: true };
const ALICE: Builder = { user: 'alice', group: 'users', dedicated: false };

function hostPlan(packages: PackageFacts, builder = BUILD_ACCOUNT) {
  return installPlan({
    root: '/',
    packages,
    aur: {
      builder,
      yayMissing: packages.missing.includes(YAY),
      aurPackages: MONGO_AUR_PACKAGES,
      aurMissing: MONGO_AUR_PACKAGES.filter((name) => packages.missing.includes(name)),
    },
  });
}

const YAY_S = 'yay -S --needed --noconfirm --answerclean None --answerdiff None --builddir';
const SUDOERS = [
  'write /etc/sudoers.d/cinectl-build.new 0440 root:root',
  'run visudo -cf /etc/sudoers.d/cinectl-build.new',
  'move /etc/sudoers.d/cinectl-build.new -> /etc/sudoers.d/cinectl-build',
];

describe('installPlan', () => {
  it('a fresh host: upgrade, every base package, the build account, yay and MongoDB from the AUR', () => {
    const plan = hostPlan({ missing: [...BASE_PACKAGES, YAY, ...MONGO_AUR_PACKAGES], upgrades: null });
    expect(planLines(plan)).toEqual([
      'run pacman -Syu --noconfirm',
      'run pacman -S --needed --noconfirm nginx git nodejs npm pnpm certbot logrotate certbot-nginx base-devel',
      'user cinectl-build present',
      'mkdir /var/lib/cinectl-build 0700 cinectl-build:cinectl-build',
      'mkdir /var/cache/cinectl 0755 root:root',
      'mkdir /var/cache/cinectl/aur 0755 root:root',
      'mkdir /var/cache/cinectl/aur/cinectl-build 0700 cinectl-build:cinectl-build',
      ...SUDOERS,
      'remove /var/cache/cinectl/aur/cinectl-build/yay-bin -r',
      'run runuser -u cinectl-build -- git clone --depth 1 https://aur.archlinux.org/yay-bin.git /var/cache/cinectl/aur/cinectl-build/yay-bin (in /var/cache/cinectl/aur/cinectl-build) [live]',
      'run runuser -u cinectl-build -- makepkg -si --noconfirm (in /var/cache/cinectl/aur/cinectl-build/yay-bin) [live]',
      `run runuser -u cinectl-build -- ${YAY_S} /var/cache/cinectl/aur/cinectl-build mongodb-bin mongosh-bin mongodb-tools-bin (in /var/cache/cinectl/aur/cinectl-build) [live]`,
    ]);
    expect(plan.steps[0]?.title).toMatch(/not known beforehand/);
    // runuser sets HOME and the rest from the builder's passwd entry: the build commands add no environment.
    const builds = plan.steps.filter((step) => step.kind === 'run' && step.argv[0] === 'runuser');
    expect(builds).toHaveLength(3);
    for (const step of builds) expect(step.kind === 'run' && step.env).toBeUndefined();
  });

  it('a half-installed host: the databases refreshed first, only the missing packages, yay kept, $SUDO_USER builds', () => {
    const plan = hostPlan({ missing: ['pnpm', 'certbot-nginx', 'mongosh-bin'], upgrades: [] }, ALICE);
    expect(planLines(plan)).toEqual([
      'run pacman -Syu --noconfirm',
      'run pacman -S --needed --noconfirm pnpm certbot-nginx',
      'mkdir /var/cache/cinectl 0755 root:root',
      'mkdir /var/cache/cinectl/aur 0755 root:root',
      'mkdir /var/cache/cinectl/aur/alice 0700 alice:users',
      ...SUDOERS,
      `run runuser -u alice -- ${YAY_S} /var/cache/cinectl/aur/alice mongodb-bin mongosh-bin mongodb-tools-bin (in /var/cache/cinectl/aur/alice) [live]`,
    ]);
    expect(plan.steps[0]?.title).toBe('Refresh the package databases and upgrade nothing yet (pacman -Syu)');
    const install = plan.steps[1];
    expect(install?.kind === 'run' && install.unless).toEqual({
      kind: 'packages-installed',
      packages: ['pnpm', 'certbot-nginx'],
    });
  });

  it('gives each builder its own build directory, so a run by another account finds nothing of the last one', () => {
    const buildDirs = (builder: Builder) =>
      hostPlan({ missing: ['mongodb-bin'], upgrades: [] }, builder).steps.flatMap((step) =>
        step.kind === 'mkdir' && step.owner.user === builder.user ? [step.path] : [],
      );
    expect(buildDirs(ALICE)).toEqual(['/var/cache/cinectl/aur/alice']);
    expect(buildDirs(BUILD_ACCOUNT)).toEqual(['/var/lib/cinectl-build', '/var/cache/cinectl/aur/cinectl-build']);
  });

  it('only upgrades pending: pacman -Syu and nothing else', () => {
    const plan = hostPlan({ missing: [], upgrades: ['linux', 'nginx'] });
    expect(planLines(plan)).toEqual(['run pacman -Syu --noconfirm']);
    expect(plan.steps[0]?.title).toBe('Refresh the package databases and upgrade 2 packages (pacman -Syu)');
  });

  it('a converged host: no step at all', () => {
    expect(hostPlan({ missing: [], upgrades: [] }).steps).toEqual([]);
  });

  it('a --root tree: pacman on the tree, the AUR part left out with a note', () => {
    const plan = installPlan({ root: '/tmp/tree', packages: { missing: ['git'], upgrades: [] }, aur: null });
    const tree = '--root /tmp/tree --dbpath /tmp/tree/var/lib/pacman --config /tmp/tree/etc/pacman.conf';
    expect(planLines(plan)).toEqual([
      `run pacman ${tree} -Syu --noconfirm`,
      `run pacman ${tree} -S --needed --noconfirm git`,
    ]);
    expect(plan.notes).toEqual([expect.stringMatching(/AUR only on the running host/)]);
  });
});

describe('setupPlan', () => {
  const base = { mongo: [], apps: [], nginx: DEFAULT_NGINX_HOST };

  it('nginx.conf through the nginx transaction, nginx enabled and started, the firewall opened', () => {
    const plan = setupPlan({
      ...base,
      firewall: { kind: 'ufw', active: true, rules: ['22/tcp'] },
      logrotateTimer: true,
    });
    expect(planLines(plan)).toEqual([
      'mkdir /var/cache/nginx 0755 root:root',
      'nginx /etc/nginx/nginx.conf + ',
      'service enable nginx.service',
      'service start nginx.service',
      'run ufw allow 80/tcp [live]',
      'run ufw allow 443/tcp [live]',
      'write /etc/systemd/journald.conf.d/cinectl.conf 0644 root:root',
      'run systemctl restart systemd-journald.service [live] [when journald]',
      'service enable logrotate.timer',
      'service start logrotate.timer',
    ]);
    expect(plan.notes).toEqual([]);
  });

  it("keeps the apps' nginx files and puts MongoDB's steps first", () => {
    const mongoStep = { kind: 'service', title: 'Start mongodb', unit: 'mongodb.service', action: 'start' } as const;
    const plan = setupPlan({
      ...base,
      mongo: [mongoStep],
      apps: [{ name: 'cinestream', ports: [8001, 8002] }],
      firewall: { kind: 'none' },
    });
    expect(plan.steps[0]).toBe(mongoStep);
    const nginx = plan.steps.find((step) => step.kind === 'nginx');
    expect([...(nginx?.kind === 'nginx' ? nginx.files.keys() : [])]).toContain('cinectl/app-cinestream.conf');
    expect(plan.notes).toEqual([expect.stringMatching(/^no firewall \(ufw or firewalld\) is installed/)]);
  });
});

describe('setupPlan, the cinectl command', () => {
  it('puts a launcher of the checkout on the PATH: /usr/local/bin/cinectl, 0755, running its own node', () => {
    const plan = setupPlan({
      mongo: [],
      apps: [],
      nginx: DEFAULT_NGINX_HOST,
      firewall: { kind: 'none' },
      checkout: '/opt/cinestream',
    });
    expect(planLines(plan).at(-1)).toBe('write /usr/local/bin/cinectl 0755 root:root');
    const launcher = plan.steps.at(-1);
    expect(launcher?.kind === 'write' && launcher.content.split('\n').at(-2)).toBe(
      'exec /usr/bin/node /opt/cinestream/packages/cinectl/bin/cinectl.js "$@"',
    );
  });
});

describe('serverNginxConf', () => {
  const conf = serverNginxConf(DEFAULT_NGINX_HOST);
  const directives = conf
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);

  it("has cinectl's include line once, as the first directive of http", () => {
    expect(withCinectlInclude(conf)).toBe(conf);
    expect(directives[directives.indexOf('http {') + 1]).toBe('include cinectl/*.conf;');
  });

  it('answers unknown hosts with 444 on port 80 and refuses the TLS handshake on 443', () => {
    expect(conf).toMatch(/listen 80 default_server;\s+server_name _;\s+return 444;/);
    expect(conf).toMatch(/listen 443 ssl default_server;\s+server_name _;\s+ssl_reject_handshake on;/);
  });

  it("has no server of its own for localhost (cinectl's localhost.conf answers it)", () => {
    expect(directives.filter((line) => line.startsWith('server_name '))).toEqual(['server_name _;', 'server_name _;']);
  });
});
