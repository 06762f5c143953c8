import { InternalError } from '../errors.ts';
import { render } from '../render.ts';
import { isAccountName } from './account.ts';
import { AUR_DIR, AUR_PARENT, BUILD_HOME, NOLOGIN_SHELL, SUDOERS_FILE } from './layout.ts';
import { hostPath, type Owner, type Plan, ROOT_OWNER, type RunStep, type Step } from './types.ts';

/**
 * AUR builds. makepkg and yay refuse to run as root, so they run as an ordinary account (`$SUDO_USER`, or a
 * dedicated build account) through `runuser`; the pacman calls they make go through sudo, allowed for pacman only
 * and only while the builds run (init-server takes the right back when its first part ends, however it ends).
 */

export const BUILD_USER = 'cinectl-build';
/** Written and checked under this name first: sudo skips files in sudoers.d whose name contains a dot. */
export const SUDOERS_CANDIDATE = `${SUDOERS_FILE}.new`;
export const YAY_AUR_URL = 'https://aur.archlinux.org/yay-bin.git';
const BUILD_TIMEOUT_MS = 30 * 60_000;

export interface Builder {
  user: string;
  /** Its primary group (for the build directory's owner). */
  group: string;
  /** The dedicated build account (created by init-server, removed by uninit-server), not $SUDO_USER. */
  dedicated: boolean;
}

/** The builder's own build directory: another builder's files there could neither be read nor replaced. */
export function aurBuildDir(builder: Pick<Builder, 'user'>): string {
  if (!isAccountName(builder.user)) throw new InternalError(`"${builder.user}" is not an account name`);
  return `${AUR_DIR}/${builder.user}`;
}

export interface AurInput {
  builder: Builder;
  yayMissing: boolean;
  /** The MongoDB AUR packages; built when any of them is missing. */
  aurPackages: readonly string[];
  aurMissing: readonly string[];
}

/**
 * The sudoers drop-in: the builder may run /usr/bin/pacman as root without a password. pacman installs any package
 * file it is given, so for as long as the file is in place the builder is as good as root.
 */
export function builderSudoers(user: string): string {
  if (!isAccountName(user)) throw new InternalError(`"${user}" cannot go into a sudoers file: not an account name`);
  return render('sudoers/builder.hbs', { user });
}

/** `visudo -cf FILE`: checks the syntax of one sudoers file. */
export function visudoCheck(file: string): Step {
  return { kind: 'run', title: `Check ${file} with visudo`, argv: ['visudo', '-cf', hostPath(file)] };
}

/** argv run as `user` (no shell, no login: runuser -u). */
export function asUser(user: string, argv: readonly string[]): string[] {
  if (!isAccountName(user)) throw new InternalError(`"${user}" is not an account name`);
  return ['runuser', '-u', user, '--', ...argv];
}

/**
 * A build command as the builder. runuser gives it the builder's HOME, USER, LOGNAME and SHELL from its passwd
 * entry; the working directory is the builder's build directory, since the caller's may be closed to it.
 */
function asBuilder(builder: Builder, title: string, argv: readonly string[], cwd: string): RunStep {
  return {
    kind: 'run',
    title,
    argv: asUser(builder.user, argv),
    cwd: hostPath(cwd),
    live: true,
    timeoutMs: BUILD_TIMEOUT_MS,
  };
}

export function yayInstall(buildDir: string, packages: readonly string[]): string[] {
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
    buildDir,
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
 * builder. The sudoers file is written under a name sudo ignores, checked with visudo, and only then moved into
 * place; it stays until init-server applies takeBackPacmanPlan. Nothing at all when yay and the packages are there.
 */
export function aurSteps(input: AurInput): Step[] {
  const { builder } = input;
  if (!input.yayMissing && input.aurMissing.length === 0) return [];
  const owner: Owner = { user: builder.user, group: builder.group };
  const buildDir = aurBuildDir(builder);
  const yayClone = `${buildDir}/yay-bin`;
  const steps: Step[] = [
    ...builderAccountSteps(builder),
    { kind: 'mkdir', title: `Create ${AUR_PARENT}`, path: AUR_PARENT, mode: 0o755, owner: ROOT_OWNER },
    { kind: 'mkdir', title: `Create ${AUR_DIR}`, path: AUR_DIR, mode: 0o755, owner: ROOT_OWNER },
    { kind: 'mkdir', title: `Create ${buildDir} for ${builder.user}'s AUR builds`, path: buildDir, mode: 0o700, owner },
    {
      kind: 'write',
      title: `Write ${SUDOERS_CANDIDATE}: ${builder.user} may run pacman through sudo while the AUR builds run`,
      path: SUDOERS_CANDIDATE,
      content: builderSudoers(builder.user),
      mode: 0o440,
      owner: ROOT_OWNER,
    },
    visudoCheck(SUDOERS_CANDIDATE),
    {
      kind: 'move',
      title: `Put the checked file in place as ${SUDOERS_FILE}`,
      from: SUDOERS_CANDIDATE,
      to: SUDOERS_FILE,
    },
  ];
  if (input.yayMissing) {
    steps.push(
      { kind: 'remove', title: `Remove an earlier clone of yay-bin`, path: yayClone, recursive: true },
      asBuilder(
        builder,
        'Download yay-bin from the AUR',
        ['git', 'clone', '--depth', '1', YAY_AUR_URL, yayClone],
        buildDir,
      ),
      asBuilder(builder, 'Build and install yay (makepkg -si)', ['makepkg', '-si', '--noconfirm'], yayClone),
    );
  }
  if (input.aurMissing.length > 0) {
    steps.push(
      asBuilder(
        builder,
        `Install ${input.aurPackages.join(', ')} from the AUR with yay`,
        yayInstall(buildDir, input.aurPackages),
        buildDir,
      ),
    );
  }
  return steps;
}

/** The builder's pacman right taken back: the sudoers file and a candidate an interrupted run left. */
export function takeBackPacmanPlan(): Plan {
  return {
    title: "Take back the AUR builder's pacman right",
    steps: [
      { kind: 'remove', title: `Remove ${SUDOERS_FILE}`, path: SUDOERS_FILE },
      { kind: 'remove', title: `Remove ${SUDOERS_CANDIDATE}`, path: SUDOERS_CANDIDATE },
    ],
  };
}

/** uninit-server: the build account, its home, the AUR build trees and a sudoers file left by an interrupted run. */
export function removeBuilderSteps(buildUserExists: boolean): Step[] {
  return [
    ...takeBackPacmanPlan().steps,
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
