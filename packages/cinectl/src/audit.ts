import { appendFileSync } from 'node:fs';
import { REDACTED, redactText } from '@cinestream/redact';
import { underRoot } from './host/root.ts';
import { LOG_FILE } from './plan/layout.ts';

/** One line in the log per run that may change the host: who ran what, when, and how it ended. */
export interface AuditRecord {
  /** The command line, each `KEY=VALUE` value and anything secret-looking redacted. */
  command: string;
  /** Who ran it through sudo; null when not through sudo. */
  sudoUser: string | null;
  start: string;
  end: string;
  exitCode: number;
  /** "ok", or the error's first line. */
  result: string;
}

let started: { root: string; start: string } | undefined;

/** Called as a plan starts to change the host: this run gets an audit line when it ends. Refusals get none. */
export function startAudit(root: string): void {
  started ??= { root, start: new Date().toISOString() };
}

/** The run to write the audit line for, once it ended; undefined when nothing was applied. */
export function auditedRun(): { root: string; start: string } | undefined {
  return started;
}

/** `env films set GEMINI_API_KEY=…` → `env films set GEMINI_API_KEY=[REDACTED]`: values given on the line are never logged. */
export function redactCommandLine(args: readonly string[]): string {
  return args
    .map((arg) =>
      /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg) ? `${arg.slice(0, arg.indexOf('='))}=${REDACTED}` : redactText(arg),
    )
    .map((arg) => (/^[\w@%+=:,./[\]-]+$/.test(arg) ? arg : JSON.stringify(arg)))
    .join(' ');
}

/** Appends the audit line to the root's cinectl.log; a log that cannot be written was already warned about. */
export function appendAudit(root: string, record: AuditRecord): void {
  try {
    appendFileSync(underRoot(root, LOG_FILE), `${JSON.stringify({ level: 'info', message: 'audit', ...record })}\n`, {
      mode: 0o640,
    });
  } catch {
    // The command's own result is what matters; createFileLogger has said why the log cannot be written.
  }
}
