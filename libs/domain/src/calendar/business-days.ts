import holidayJp from '@holiday-jp/holiday_jp';
import { DomainRuleError } from '../errors';
import { addDays, parseIsoDate } from './iso-date';

export { addDays } from './iso-date';

// Keyed by 'YYYY-MM-DD'; a plain lookup avoids holiday_jp parsing strings in the process time zone.
const HOLIDAYS = holidayJp.holidays as unknown as Record<string, { name: string } | undefined>;

/** Name of the national holiday on `date`, or null. */
export function holidayName(date: string): string | null {
  parseIsoDate(date);
  return HOLIDAYS[date]?.name ?? null;
}

/** City halls close 12/29–1/3 (年末年始) besides national holidays. */
export function isYearEndClosure(date: string): boolean {
  const d = parseIsoDate(date);
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return (month === 12 && day >= 29) || (month === 1 && day <= 3);
}

export function isBusinessDay(date: string): boolean {
  const dow = parseIsoDate(date).getUTCDay();
  if (dow === 0 || dow === 6) return false;
  if (HOLIDAYS[date]) return false;
  return !isYearEndClosure(date);
}

// Longest run of non-business days is about 9 (year end + weekends); 60 is a safe guard.
const MAX_SCAN = 60;

function scan(date: string, step: 1 | -1, includeStart: boolean): string {
  let d = includeStart ? date : addDays(date, step);
  for (let i = 0; i < MAX_SCAN; i++) {
    if (isBusinessDay(d)) return d;
    d = addDays(d, step);
  }
  throw new DomainRuleError(`営業日が見つかりません: ${date}`);
}

/** The last business day strictly before `date`. */
export function previousBusinessDay(date: string): string {
  return scan(date, -1, false);
}

/** The first business day strictly after `date`. */
export function nextBusinessDay(date: string): string {
  return scan(date, 1, false);
}

/** `date` itself when it is a business day, otherwise the last business day before it. */
export function onOrBeforeBusinessDay(date: string): string {
  return scan(date, -1, true);
}

/** `date` itself when it is a business day, otherwise the first business day after it. */
export function onOrAfterBusinessDay(date: string): string {
  return scan(date, 1, true);
}

/**
 * Moves n business days (n < 0: backwards). Counting starts from `date` whether or not it is a
 * business day: addBusinessDays(sunday, 1) is the next business day, (sunday, -1) the one before.
 * n = 0 returns `date` unchanged.
 */
export function addBusinessDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new DomainRuleError(`営業日数は整数で指定してください: ${n}`);
  let d = date;
  parseIsoDate(d);
  for (let i = 0; i < Math.abs(n); i++) d = n > 0 ? nextBusinessDay(d) : previousBusinessDay(d);
  return d;
}

/** Number of business days in (a, b]; negative (−count in (b, a]) when b is before a. */
export function businessDaysBetween(a: string, b: string): number {
  const from = parseIsoDate(a).getTime();
  const to = parseIsoDate(b).getTime();
  if (to < from) return -businessDaysBetween(b, a);
  let count = 0;
  for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) if (isBusinessDay(d)) count++;
  return count;
}

/**
 * Deadline of a cycle: `offsetDays` calendar days after the period end, moved back to the
 * last business day on or before it (a deadline never falls on a closed day).
 */
export function deadlineFromPeriodEnd(periodEnd: string, offsetDays: number): string {
  if (!Number.isInteger(offsetDays)) throw new DomainRuleError(`日数は整数で指定してください: ${offsetDays}`);
  return onOrBeforeBusinessDay(addDays(periodEnd, offsetDays));
}
