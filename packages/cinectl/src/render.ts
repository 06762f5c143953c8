import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Handlebars from 'handlebars';
import { InternalError } from './errors.ts';

/** The repository's `templates/` folder; the same from `src/` (development, tests) and `dist/` (production). */
export const TEMPLATES_DIR = resolve(import.meta.dirname, '../../../templates');

/** A template and its caller disagree (a bug), or the install lacks its templates/ folder. */
export class RenderError extends InternalError {
  readonly template: string;
  readonly variable: string | undefined;
  constructor(template: string, message: string, variable?: string) {
    super(message);
    this.name = 'RenderError';
    this.template = template;
    this.variable = variable;
  }
}

type Compiled = (vars: Record<string, unknown>) => string;
const compiled = new Map<string, Compiled>();

function compile(template: string): Compiled {
  let found = compiled.get(template);
  if (!found) {
    let source: string;
    try {
      source = readFileSync(resolve(TEMPLATES_DIR, template), 'utf8');
    } catch {
      throw new RenderError(template, `template ${template} not found in ${TEMPLATES_DIR}`);
    }
    // Config files, not HTML: values are validated by the builders, never HTML-escaped.
    found = Handlebars.compile(source, { strict: true, noEscape: true });
    compiled.set(template, found);
  }
  return found;
}

/** Strict Handlebars render: a missing variable is a RenderError naming template and variable. */
export function render(template: string, vars: Record<string, unknown>): string {
  const run = compile(template);
  try {
    return run(vars);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const missing = /^"([^"]+)" not defined in .* - (\d+):\d+$/.exec(message);
    if (missing) {
      const [, variable, line] = missing;
      throw new RenderError(
        template,
        `template ${template} needs the variable "${variable}" (line ${line}): pass it to render()`,
        variable,
      );
    }
    throw new RenderError(template, `template ${template} could not be rendered: ${message}`);
  }
}
