import { inspect } from 'node:util';

export const REDACTED = '[REDACTED]';

/**
 * A secret (SECRET_KEY, a MongoDB password) carried through a plan. Printing, logging or JSON-encoding it gives
 * `[REDACTED]`; only `reveal()` gives the value. The executor reveals it into a command's argv or environment; a
 * builder that must write it into a file (.env, mongo.json, mongodump.yaml) reveals it into the content and lists
 * the secret in the write step's `secrets`, so the file's diff and log show `[REDACTED]` in its place.
 */
export class Sensitive {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** How a value can appear in a file: as it is, inside a JSON string (mongo.json, mongodump.yaml), in a URI. */
function spellings(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
}

/** Replaces every occurrence of each secret in `text`, as it is or escaped, with `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly Sensitive[]): string {
  const forms = [...new Set(secrets.flatMap((secret) => spellings(secret.reveal())))]
    .filter((form) => form.length > 0)
    // The longest first: an escaped form can contain the plain value (`a\` in `a\\`).
    .sort((a, b) => b.length - a.length);
  let result = text;
  for (const form of forms) result = result.split(form).join(REDACTED);
  return result;
}

const SECRET_ASSIGNMENT = /^(\s*[A-Z0-9_]*(?:KEY|SECRET|PASSWORD|TOKEN|URI)[A-Z0-9_]*\s*=\s*).+$/gim;

/** Hides the values of secret-looking `NAME=value` lines, for files whose old secrets are not known. */
export function redactAssignments(text: string): string {
  return text.replace(SECRET_ASSIGNMENT, `$1${REDACTED}`);
}
