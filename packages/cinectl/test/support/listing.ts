import { lstatSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every path under `dir` but node_modules with its type, mode, size and mtime, one line each: equal before and after
 * a command when it wrote nothing there (a new, removed or rewritten file or directory changes it).
 */
export function listing(dir: string): string[] {
  const lines: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = join(path, entry.name);
      const info = lstatSync(full);
      lines.push(`${relative(dir, full)} ${info.mode.toString(8)} ${info.size} ${info.mtimeMs}`);
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return lines.sort();
}
