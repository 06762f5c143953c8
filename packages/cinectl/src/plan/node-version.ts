/** The oldest Node.js the site runs on (packages/web/package.json engines): node:sqlite without a flag. */
export const MIN_NODE = { major: 22, minor: 13 } as const;

/** What is wrong with `node --version`'s answer for the site, or undefined when it is new enough. */
export function nodeVersionProblem(answer: string): string | undefined {
  const match = /^v(\d+)\.(\d+)\.(\d+)/.exec(answer.trim());
  if (!match) return `it answered ${JSON.stringify(answer.trim().slice(0, 40))} instead of a version`;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor)) return undefined;
  return `it is ${answer.trim()}, and the site needs ${MIN_NODE.major}.${MIN_NODE.minor} or newer`;
}
