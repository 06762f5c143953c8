import { createHmac } from 'node:crypto';
import cookieParser from 'cookie-parser';
import type { Request } from 'express';

/** One cookie's value from the request, without parsing (or verifying) the others. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at !== -1 && pair.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(pair.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A cookie signed with `secret` (as `res.cookie(…, { signed: true })` writes it), or undefined when forged. */
export function readSignedCookie(req: Request, name: string, secret: string): string | undefined {
  const raw = readCookie(req, name);
  const value = raw?.startsWith('s:') ? cookieParser.signedCookie(raw, secret) : false;
  return value === false ? undefined : value;
}

/** The value `res.cookie(name, value, { signed: true })` writes (cookie-signature's `s:value.mac`), made without a request. */
export function signedValue(value: string, secret: string): string {
  const mac = createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '');
  return `s:${value}.${mac}`;
}
