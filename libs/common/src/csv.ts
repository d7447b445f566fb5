/**
 * CSV as the downloads write it (reports, audit trail, item export): UTF-8 with a BOM so Excel
 * on Japanese Windows reads it, CRLF records, RFC 4180 quoting.
 */

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

/** What Excel would read as the start of a formula (=, +, -, @) or of a DDE payload (tab, CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * User text defused against formula injection: a leading = + - @ (or tab, CR) gets an
 * apostrophe in front, so Excel shows the text instead of running it. For text cells only: a
 * number written as a number (-5) is not a formula.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** The text neutraliseFormula defused, as it was (a file written by us and read back). */
export function restoreNeutralised(text: string): string {
  return text.length > 1 && text[0] === "'" && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}
