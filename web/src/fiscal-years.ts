// Fiscal years as the item screens show them: 令和6年度, from the domain's own functions.
import { fiscalYearOf } from '../../libs/domain/src/periods/fiscal-year';
import { eraYearLabel } from '../../libs/domain/src/periods/era';
import { tokyoToday } from '../../libs/domain/src/calendar/tokyo-date';

export { eraYearLabel };

export function currentFiscalYear(): number {
  return fiscalYearOf(tokyoToday());
}

/** The years an item's editor shows: those it has values for, else this year and the next. */
export function yearsOf(...objects: (Record<string, unknown> | null | undefined)[]): number[] {
  const years = new Set<number>();
  for (const o of objects) for (const k of Object.keys(o ?? {})) if (/^\d{4}$/.test(k)) years.add(Number(k));
  if (years.size === 0) {
    const now = currentFiscalYear();
    years.add(now);
    years.add(now + 1);
  }
  return [...years].sort((a, b) => a - b);
}
