import { domainToASCII } from 'node:url';
import { UsageError } from '../errors.ts';

export const MAX_DOMAIN_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ASCII_ALLOWED = /^[a-z0-9.*-]+$/;
const EXAMPLE = 'e.g. films.example.com';

/** A domain name as written into nginx files and certificate paths: lowercase ASCII (IDN as punycode). */
export type Domain = string;

function shown(input: string): string {
  return JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input);
}

function refuse(input: string, problem: string, hint = EXAMPLE): never {
  throw new UsageError(`domain ${shown(input)} ${problem}`, hint);
}

function checkLabels(input: string, ascii: string): void {
  if (ascii.length > MAX_DOMAIN_LENGTH) {
    refuse(input, `is ${ascii.length} characters long; a domain has at most ${MAX_DOMAIN_LENGTH}`);
  }
  const labels = ascii.split('.');
  if (labels.some((label) => label === '')) refuse(input, 'has an empty label (two dots in a row, or a leading dot)');
  if (labels.length < 2) refuse(input, 'needs at least two labels, like example.com');
  for (const label of labels) {
    if (label.length > MAX_LABEL_LENGTH) {
      refuse(
        input,
        `has a label of ${label.length} characters; each part between dots has at most ${MAX_LABEL_LENGTH}`,
      );
    }
    if (label.startsWith('-') || label.endsWith('-'))
      refuse(input, `has a label that starts or ends with "-" ("${label}")`);
    if (!LABEL.test(label)) refuse(input, `has a label with characters other than a–z, 0–9 and "-" ("${label}")`);
  }
  if (/^\d+$/.test(labels.at(-1) ?? '')) refuse(input, 'looks like an IP address; set-domain takes a domain name');
}

/**
 * A domain as given on the command line, checked and returned in the form cinectl stores: RFC 1123 labels (letters,
 * digits, "-" inside), at least two of them, at most 253 characters; an internationalized name becomes punycode. It
 * must be written in lowercase. `*.` is allowed as the first label only with `wildcard`. One trailing dot (the
 * fully qualified form) is dropped. Anything else is a UsageError.
 */
export function validateDomain(input: string, options: { wildcard?: boolean } = {}): Domain {
  if (input.length === 0) refuse(input, 'is empty');
  if (/[\s\p{Cc}]/u.test(input)) refuse(input, 'contains spaces or control characters');
  if (input.length > 4 * MAX_DOMAIN_LENGTH) {
    refuse(input, `is ${input.length} characters long; a domain has at most ${MAX_DOMAIN_LENGTH}`);
  }
  if (input !== input.toLowerCase()) {
    refuse(input, 'has uppercase letters', `write it in lowercase: ${input.toLowerCase()}`);
  }
  const name = input.endsWith('.') && !input.endsWith('..') ? input.slice(0, -1) : input;
  const wildcard = name.startsWith('*.');
  if (name.includes('*') && !(wildcard && name.indexOf('*', 1) === -1)) {
    refuse(input, 'may have "*" only as its whole first label, as in *.example.com');
  }
  if (wildcard && !options.wildcard) {
    refuse(
      input,
      'is a wildcard',
      `add --wildcard to serve every subdomain, or give one name such as www${name.slice(1)}`,
    );
  }
  const rest = wildcard ? name.slice(2) : name;
  let ascii: string;
  if (/^[\x20-\x7e]*$/.test(rest)) {
    if (!ASCII_ALLOWED.test(rest)) refuse(input, 'may contain only letters, digits, "-" and dots');
    ascii = rest;
  } else {
    ascii = domainToASCII(rest);
    if (ascii === '') refuse(input, 'is not a valid internationalized domain name');
  }
  checkLabels(input, wildcard ? `x.${ascii}` : ascii);
  return wildcard ? `*.${ascii}` : ascii;
}

/** Whether a domain is in the form cinectl stores and writes into nginx files: what validateDomain returns. */
export function isDomain(domain: string): boolean {
  try {
    return validateDomain(domain, { wildcard: true }) === domain;
  } catch {
    return false;
  }
}

export function isWildcard(domain: Domain): boolean {
  return domain.startsWith('*.');
}
