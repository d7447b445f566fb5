import { DomainRuleError } from '../errors';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' strictly (rejects 2025-02-30) to a UTC-midnight Date. */
export function parseIsoDate(date: string): Date {
  const m = ISO_DATE.exec(date);
  if (m) {
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3]) return d;
  }
  throw new DomainRuleError(`日付の形式が正しくありません: ${date}`);
}

/** Formats the UTC calendar date of `d` as 'YYYY-MM-DD'. */
export function formatIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function isoDate(year: number, month: number, day: number): string {
  return formatIsoDate(new Date(Date.UTC(year, month - 1, day)));
}

/** Calendar arithmetic on ISO dates (UTC based, so no time-zone or DST drift). */
export function addDays(date: string, n: number): string {
  const d = parseIsoDate(date);
  d.setUTCDate(d.getUTCDate() + n);
  return formatIsoDate(d);
}

/** Last day of a calendar month. */
export function lastDayOfMonth(year: number, month: number): string {
  return formatIsoDate(new Date(Date.UTC(year, month, 0)));
}
