/** How many bytes of an HTML page are searched for a `<meta>` charset, as browsers do. */
const CHARSET_SNIFF_BYTES = 1024;

/** The media type and charset of a Content-Type header. */
export function contentTypeOf(header: string | undefined): { mime: string | undefined; charset: string | undefined } {
  const [mime, ...parameters] = (header ?? '').split(';').map((part) => part.trim());
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^";\s]+)"?$/i.exec(parameter)?.[1])
    .find((value) => value !== undefined);
  return { mime: mime ? mime.toLowerCase() : undefined, charset };
}

/** Text in the charset a byte order mark, the Content-Type header or (for HTML) an early `<meta>` names; else UTF-8. */
export function decodeText(bytes: Buffer, headerCharset: string | undefined, isHtml: boolean): string {
  const label = bomCharset(bytes) ?? headerCharset ?? (isHtml ? metaCharset(bytes) : undefined) ?? 'utf-8';
  return textDecoder(label).decode(bytes);
}

function textDecoder(label: string) {
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('utf-8');
  }
}

function bomCharset(bytes: Buffer): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">`. */
function metaCharset(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, CHARSET_SNIFF_BYTES).toString('latin1');
  return /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
}
