// node copy-inputs.js SOURCE COPY --skip=DIR,… INPUT…: copies each INPUT (a file or directory relative to SOURCE)
// to the same place in COPY, leaving out directories named in --skip at any depth; a missing INPUT is left out.
// deploy-app builds a release in such a copy, so the checkout is never written to (plan/deploy.ts).
import { cpSync, existsSync, lstatSync } from 'node:fs';
import { basename, join } from 'node:path';

const [source, copy, skipOption, ...inputs] = process.argv.slice(2);
if (!source || !copy || !skipOption?.startsWith('--skip=') || inputs.length === 0) {
  process.stderr.write('copy-inputs: usage: copy-inputs.js SOURCE COPY --skip=DIR,… INPUT…\n');
  process.exit(2);
}
const skipped = new Set(skipOption.slice('--skip='.length).split(','));
const kept = (path) => !(skipped.has(basename(path)) && lstatSync(path).isDirectory());
for (const input of inputs) {
  const from = join(source, input);
  if (!existsSync(from)) continue;
  cpSync(from, join(copy, input), { recursive: true, filter: kept });
}
