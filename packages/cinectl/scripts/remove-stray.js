// node remove-stray.js TOP PATH: removes PATH (inside TOP), then its parents while they are empty, never TOP.
// deploy-app runs it on the copy of the bin links `pnpm deploy` leaves beneath the checkout (plan/deploy.ts).
import { rmdirSync, rmSync } from 'node:fs';
import { dirname, relative } from 'node:path';

const [top, path] = process.argv.slice(2);
const inside = (dir) => dir !== top && !relative(top, dir).startsWith('..');
if (!top || !path || !inside(path)) {
  process.stderr.write('remove-stray: PATH must be inside TOP\n');
  process.exit(2);
}
rmSync(path, { recursive: true, force: true });
for (let dir = dirname(path); inside(dir); dir = dirname(dir)) {
  try {
    rmdirSync(dir);
  } catch {
    break;
  }
}
