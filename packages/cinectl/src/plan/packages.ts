/**
 * pacman command lines. On a --root tree pacman works on that tree's own database and configuration, the way
 * useradd takes --prefix, so the same plan runs on a host and on a throwaway root.
 */

/** What init-server installs from the distribution's repositories (pnpm and npm too: deploy-app builds with them). */
export const BASE_PACKAGES = [
  'nginx',
  'git',
  'nodejs',
  'npm',
  'pnpm',
  'certbot',
  'logrotate',
  'certbot-nginx',
  'base-devel',
] as const;

export function pacmanRootOptions(root: string): string[] {
  if (root === '/') return [];
  return ['--root', root, '--dbpath', `${root}/var/lib/pacman`, '--config', `${root}/etc/pacman.conf`];
}

/** Installs what is missing and leaves installed packages alone (`--needed`). */
export function pacmanInstall(packages: readonly string[], root: string): string[] {
  return ['pacman', ...pacmanRootOptions(root), '-S', '--needed', '--noconfirm', ...packages];
}

/** Refreshes the package databases and upgrades every installed package. */
export function pacmanUpgrade(root: string): string[] {
  return ['pacman', ...pacmanRootOptions(root), '-Syu', '--noconfirm'];
}

/**
 * Prints the names no installed package satisfies (by name or by `provides`, so nodejs-lts-jod counts as nodejs)
 * and exits 127 when there are any, 0 when all are there.
 */
export function pacmanDeptest(packages: readonly string[], root: string): string[] {
  return ['pacman', ...pacmanRootOptions(root), '-T', ...packages];
}

/** Removes the packages with their no longer needed dependencies and their configuration files. */
export function pacmanRemove(packages: readonly string[], root: string): string[] {
  return ['pacman', ...pacmanRootOptions(root), '-Rns', '--noconfirm', ...packages];
}

/** Every installed package as `name version` lines. */
export function pacmanQueryAll(root: string): string[] {
  return ['pacman', ...pacmanRootOptions(root), '-Q'];
}

/**
 * The upgrade check of pacman-contrib's `checkupdates`: the databases are refreshed into a scratch `dbpath`
 * (its `local` a link to the real one), so the host's own databases stay as they are.
 */
export function pacmanScratchSync(root: string, scratchDb: string): string[] {
  return ['pacman', ...scratchOptions(root, scratchDb), '-Sy'];
}

/** Packages with a newer version in the scratch databases, as `name old -> new` lines (exit 1 when none). */
export function pacmanScratchUpgrades(root: string, scratchDb: string): string[] {
  return ['pacman', ...scratchOptions(root, scratchDb), '-Qu'];
}

function scratchOptions(root: string, scratchDb: string): string[] {
  const tree = root === '/' ? [] : ['--root', root, '--config', `${root}/etc/pacman.conf`];
  return [...tree, '--dbpath', scratchDb, '--logfile', '/dev/null'];
}
