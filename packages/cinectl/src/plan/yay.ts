import { render } from '../render.ts';
import { NOLOGIN_SHELL } from './layout.ts';
import { hostPath, type Owner, ROOT_OWNER, type RunStep, type Step } from './types.ts';

/**
 * AUR builds. makepkg and yay refuse to run as root, so they run as an ordinary account (`$SUDO_USER`, or a
 * dedicated build account) through `runuser`; the pacman calls they make go through sudo, allowed for pacman only
 * and only while the builds run.
 */

export const BUILD_USER = 'cinectl-build';
export const BUILD_HOME = '/var/lib/cinectl-build';
export const AUR_PARENT = '/var/cache/cinectl';
/** Clones and build trees of AUR packages (yay's --builddir too). */
export const AUR_DIR = '/var/cache/cinectl/aur';
export const SUDOERS_FILE = '/etc/sudoers.d/cinectl-build';
export const YAY_AUR_URL = 'https://aur.archlinux.org/yay-bin.git';
export const YAY_CLONE = `${AUR_DIR}/yay-bin`;
const BUILD_TIMEOUT_MS = 30 * 60_000;

const ACCOUNT = /^[a-z_][a-z0-9_-]{0,31}$/;

export interface Builder {
  user: string;
  /** Its primary group (for the build directory's owner). */
  group: string;
  /** Its home: makepkg, git and yay keep their settings and caches there, so it is their HOME. */
  home: string;
  /** The dedicated build account (created by init-server, removed by uninit-server), not $SUDO_USER. */
  dedicated: boolean;
}

export interface AurInput {
  builder: Builder;
  yayMissing: boolean;
  /** The MongoDB AUR packages; built when any of them is missing. */
  aurPackages: readonly string[];
  aurMissing: readonly string[];
}

/** The sudoers drop-in: the builder may run /usr/bin/pacman as root without a password, and nothing else. */
export function builderSudoers(user: string): string {
  if (!ACCOUNT.test(user)) throw new Error(`"${user}" cannot go into a sudoers file: not an account name`);
  return render('sudoers/builder.hbs', { user });
}

/** `visudo -cf FILE`: checks the syntax of one sudoers file. */
export function visudoCheck(file: string): Step {
  return {
    kind: 'run',
    title: `Check ${file} with visudo`,
    argv: ['visudo', '-cf', hostPath(file)],
    when: { changed: ['sudoers'] },
  };
}

/** argv run as `user` (no shell, no login: runuser -u). */
export function asUser(user: string, argv: readonly string[]): string[] {
  if (!ACCOUNT.test(user)) throw new Error(`"${user}" is not an account name`);
  return ['runuser', '-u', user, '--', ...argv];
}

/** A build command as the builder, in its own HOME (runuser keeps root's, which the builder cannot write). */
function asBuilder(builder: Builder, title: string, argv: readonly string[], cwd: string): RunStep {
  return {
    kind: 'run',
    title,
    argv: asUser(builder.user, argv),
    cwd: hostPath(cwd),
    env: { HOME: builder.home },
    live: true,
    timeoutMs: BUILD_TIMEOUT_MS,
  };
}

export function yayInstall(packages: readonly string[]): string[] {
  return [
    'yay',
    '-S',
    '--needed',
    '--noconfirm',
    '--answerclean',
    'None',
    '--answerdiff',
    'None',
    '--builddir',
    AUR_DIR,
    ...packages,
  ];
}

function builderAccountSteps(builder: Builder): Step[] {
  if (!builder.dedicated) return [];
  const owner: Owner = { user: builder.user, group: builder.group };
  return [
    {
      kind: 'user',
      title: `Create the build account ${builder.user} (makepkg and yay refuse to run as root)`,
      name: builder.user,
      ensure: 'present',
      home: BUILD_HOME,
      shell: NOLOGIN_SHELL,
    },
    { kind: 'mkdir', title: `Create ${BUILD_HOME}`, path: BUILD_HOME, mode: 0o700, owner },
  ];
}

/**
 * yay from the AUR when it is missing (git clone + makepkg -si), then the MongoDB packages with yay, all as the
 * builder. Nothing at all when yay and the packages are there.
 */
export function aurSteps(input: AurInput): Step[] {
  const { builder } = input;
  if (!input.yayMissing && input.aurMissing.length === 0) return [];
  const owner: Owner = { user: builder.user, group: builder.group };
  const steps: Step[] = [
    ...builderAccountSteps(builder),
    { kind: 'mkdir', title: `Create ${AUR_PARENT}`, path: AUR_PARENT, mode: 0o755, owner: ROOT_OWNER },
    { kind: 'mkdir', title: `Create ${AUR_DIR} for AUR builds`, path: AUR_DIR, mode: 0o700, owner },
    {
      kind: 'write',
      id: 'sudoers',
      title: `Let ${builder.user} run pacman through sudo while the AUR builds run`,
      path: SUDOERS_FILE,
      content: builderSudoers(builder.user),
      mode: 0o440,
      owner: ROOT_OWNER,
    },
    visudoCheck(SUDOERS_FILE),
  ];
  if (input.yayMissing) {
    steps.push(
      { kind: 'remove', title: `Remove an earlier clone of yay-bin`, path: YAY_CLONE, recursive: true },
      asBuilder(
        builder,
        'Download yay-bin from the AUR',
        ['git', 'clone', '--depth', '1', YAY_AUR_URL, YAY_CLONE],
        AUR_DIR,
      ),
      asBuilder(builder, 'Build and install yay (makepkg -si)', ['makepkg', '-si', '--noconfirm'], YAY_CLONE),
    );
  }
  if (input.aurMissing.length > 0) {
    steps.push(
      asBuilder(
        builder,
        `Install ${input.aurPackages.join(', ')} from the AUR with yay`,
        yayInstall(input.aurPackages),
        AUR_DIR,
      ),
    );
  }
  steps.push({
    kind: 'remove',
    title: `Take back ${builder.user}'s pacman right (remove ${SUDOERS_FILE})`,
    path: SUDOERS_FILE,
  });
  return steps;
}

/** uninit-server: the build account, its home, the AUR build trees and a sudoers file left by an interrupted run. */
export function removeBuilderSteps(buildUserExists: boolean): Step[] {
  return [
    { kind: 'remove', title: `Remove ${SUDOERS_FILE}`, path: SUDOERS_FILE },
    { kind: 'remove', title: `Remove the AUR build trees in ${AUR_PARENT}`, path: AUR_PARENT, recursive: true },
    ...(buildUserExists
      ? [
          {
            kind: 'user',
            title: `Delete the build account ${BUILD_USER}`,
            name: BUILD_USER,
            ensure: 'absent',
            home: BUILD_HOME,
            shell: NOLOGIN_SHELL,
          } satisfies Step,
        ]
      : []),
    { kind: 'remove', title: `Remove ${BUILD_HOME}`, path: BUILD_HOME, recursive: true },
  ];
}
