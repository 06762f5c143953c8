export { redactFormat } from './format.ts';
export { isSecretField, REDACTED, redactText, redactValue } from './redact.ts';
