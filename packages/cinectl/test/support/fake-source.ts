import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory deploy-app takes for a CineStream checkout, whose web package's build is `buildScript` (a Node
 * program): a build that fails with known output, or one that runs until it is interrupted.
 */
export function makeFakeSource(buildScript: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cinectl-source-'));
  mkdirSync(join(dir, 'packages/web'), { recursive: true });
  writeFileSync(join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  writeFileSync(join(dir, 'package.json'), '{ "name": "fake-cinestream", "private": true }\n');
  writeFileSync(join(dir, 'packages/web/build.js'), buildScript);
  writeFileSync(
    join(dir, 'packages/web/package.json'),
    JSON.stringify({ name: '@cinestream/web', private: true, scripts: { build: 'node build.js' } }),
  );
  return dir;
}
