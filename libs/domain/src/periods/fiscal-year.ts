import { isoDate, parseIsoDate } from '../calendar/iso-date';

/** Japanese fiscal year (年度) of a date: it starts on 1 April, so 2025-03-31 belongs to 2024. */
export function fiscalYearOf(date: string): number {
  const d = parseIsoDate(date);
  const year = d.getUTCFullYear();
  return d.getUTCMonth() + 1 >= 4 ? year : year - 1;
}

export function fiscalYearStart(fiscalYear: number): string {
  return isoDate(fiscalYear, 4, 1);
}

export function fiscalYearEnd(fiscalYear: number): string {
  return isoDate(fiscalYear + 1, 3, 31);
}

/** Calendar year of a month of the fiscal year (April..December -> fiscalYear, January..March -> +1). */
export function calendarYearOfFiscalMonth(fiscalYear: number, month: number): number {
  return month >= 4 ? fiscalYear : fiscalYear + 1;
}
