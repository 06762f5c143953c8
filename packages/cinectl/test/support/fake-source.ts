import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The lockfile of a workspace without dependencies, for the deploy's `pnpm install --frozen-lockfile`. */
const LOCKFILE = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .: {}

  packages/web: {}
`;

/**
 * A directory deploy-app takes for a CineStream checkout, whose web package's build is `buildScript` (a Node
 * program): a build that fails with known output, or one that runs until it is interrupted.
 */
export function makeFakeSource(buildScript: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cinectl-source-'));
  mkdirSync(join(dir, 'packages/web'), { recursive: true });
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  writeFileSync(join(dir, 'package.json'), '{ "name": "fake-cinestream", "private": true }\n');
  writeFileSync(join(dir, 'pnpm-lock.yaml'), LOCKFILE);
  writeFileSync(join(dir, 'packages/web/build.js'), buildScript);
  writeFileSync(
    join(dir, 'packages/web/package.json'),
    JSON.stringify({ name: '@cinestream/web', private: true, scripts: { build: 'node build.js' } }),
  );
  return dir;
}
