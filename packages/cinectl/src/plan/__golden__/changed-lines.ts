import { diffArrays } from 'diff';

/** The lines that differ between two renders, as `- old` / `+ new` in file order; in a changed run, removals first. */
export function changedLines(before: string, after: string): string[] {
  const out: string[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  for (const part of diffArrays(before.split('\n'), after.split('\n'))) {
    if (part.removed) removed.push(...part.value.map((line) => `- ${line}`));
    else if (part.added) added.push(...part.value.map((line) => `+ ${line}`));
    else {
      out.push(...removed, ...added);
      removed = [];
      added = [];
    }
  }
  return [...out, ...removed, ...added];
}
