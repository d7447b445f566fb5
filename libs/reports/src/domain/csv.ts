/** Excel on Japanese Windows opens UTF-8 CSV correctly only with a byte order mark. */
export const UTF8_BOM = '\uFEFF';
export const CRLF = '\r\n';

/** One RFC 4180 field: quoted when it holds a comma, quote, CR or LF (or leading/trailing space). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record terminated by CRLF. */
export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',') + CRLF;
}
