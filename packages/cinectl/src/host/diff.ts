import { createTwoFilesPatch } from 'diff';
import { redactAssignments, redactSecrets, type Sensitive } from '../plan/sensitive.ts';

/**
 * A unified diff between what a file holds and what it will hold, safe to print: known secrets and, for files
 * that carry secrets, every secret-looking `NAME=value` line are shown as [REDACTED].
 */
export function fileDiff(
  path: string,
  before: string | null,
  after: string,
  secrets: readonly Sensitive[] = [],
): string[] {
  const hide = (text: string) => {
    const known = redactSecrets(text, secrets);
    return secrets.length > 0 ? redactAssignments(known) : known;
  };
  const oldText = before === null ? '' : hide(before);
  const newText = hide(after);
  if (oldText === newText)
    return before === null ? [`new empty file ${path}`] : [`${path}: secret values change (not shown)`];
  const patch = createTwoFilesPatch(before === null ? '/dev/null' : path, path, oldText, newText, '', '', {
    context: 3,
  });
  return patch
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('=====') && !line.startsWith('Index: '))
    .map((line) => line.replace(/\t$/, ''));
}
