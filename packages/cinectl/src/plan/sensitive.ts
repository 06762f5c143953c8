import { inspect } from 'node:util';

export const REDACTED = '[REDACTED]';

/**
 * A secret (SECRET_KEY, a MongoDB password) carried through a plan. Printing, logging or JSON-encoding it gives
 * `[REDACTED]`; only `reveal()` gives the value, and only the executor calls it.
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

/** Replaces every occurrence of each secret in `text` with `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly Sensitive[]): string {
  let result = text;
  for (const secret of secrets) {
    const value = secret.reveal();
    if (value.length > 0) result = result.split(value).join(REDACTED);
  }
  return result;
}

const SECRET_ASSIGNMENT = /^(\s*[A-Z0-9_]*(?:KEY|SECRET|PASSWORD|TOKEN|URI)[A-Z0-9_]*\s*=\s*).+$/gim;

/** Hides the values of secret-looking `NAME=value` lines, for files whose old secrets are not known. */
export function redactAssignments(text: string): string {
  return text.replace(SECRET_ASSIGNMENT, `$1${REDACTED}`);
}
