export const REDACTED = '[REDACTED]';

/** Names of fields whose values are secrets: `password`, `apiKey`, `mongoUri`, `authorization`, a file's `content`… */
const SECRET_FIELD = /key|secret|password|token|uri|cookie|authorization|content/i;
/** The password of a URI's userinfo: `mongodb://app:hunter2@host` → `mongodb://app:[REDACTED]@host`. */
const URI_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]+:)[^@\s]+@/gi;
/** A secret-looking environment assignment: `GEMINI_API_KEY=abc123` → `GEMINI_API_KEY=[REDACTED]`. */
const SECRET_ASSIGNMENT = /\b([A-Z0-9_]*(?:KEY|SECRET|PASSWORD|TOKEN)[A-Z0-9_]*=)\S+/g;

/** Hides passwords inside URIs and the values of `NAME_KEY=…`-style assignments. */
export function redactText(text: string): string {
  return text.replace(URI_PASSWORD, `$1${REDACTED}@`).replace(SECRET_ASSIGNMENT, `$1${REDACTED}`);
}

/** True for a field that holds a secret; counts (`promptTokenCount: 120`) and flags are kept. */
export function isSecretField(name: string, value: unknown): boolean {
  return SECRET_FIELD.test(name) && typeof value !== 'number' && typeof value !== 'boolean' && value != null;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function redactFields(entries: [string, unknown][], ancestors: WeakSet<object>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    result[name] = isSecretField(name, value) ? REDACTED : redactIn(value, ancestors);
  }
  return result;
}

function redactIn(value: unknown, ancestors: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) return '[Circular]';
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactIn(item, ancestors));
    if (value instanceof Error) {
      // name, message, stack and cause are not enumerable: without this an Error would be logged as `{}`.
      const { name, message, stack, cause } = value;
      const own: [string, unknown][] = [
        ['name', name],
        ['message', message],
        ['stack', stack],
      ];
      if (cause !== undefined) own.push(['cause', cause]);
      return redactFields([...own, ...Object.entries(value)], ancestors);
    }
    // Class instances (a Date, cinectl's Sensitive) keep their own JSON form.
    return isPlainObject(value) ? redactFields(Object.entries(value), ancestors) : value;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * A copy of `value` with secrets hidden: secret-named fields replaced, strings redacted as text, through nested
 * objects, arrays and Errors. The value itself is left untouched.
 */
export function redactValue(value: unknown): unknown {
  return redactIn(value, new WeakSet());
}
