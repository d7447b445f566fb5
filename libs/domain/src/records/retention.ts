import { addDays } from '../calendar/iso-date';
import { fiscalYearEnd, fiscalYearOf } from '../periods/fiscal-year';

/** 保存期間: how long the record of a closed cycle is kept (公文書の保存期間, in years; 常用 = kept while in use). */
export type RetentionClass = '1y' | '3y' | '5y' | '10y' | '30y' | 'permanent';

export const RETENTION_CLASSES: readonly RetentionClass[] = ['1y', '3y', '5y', '10y', '30y', 'permanent'];

export const RETENTION_CLASS_LABELS: Record<RetentionClass, string> = {
  '1y': '1年',
  '3y': '3年',
  '5y': '5年',
  '10y': '10年',
  '30y': '30年',
  permanent: '常用',
};

/** A template without a choice keeps its records five years (the usual class of evaluation results). */
export const DEFAULT_RETENTION_CLASS: RetentionClass = '5y';

const YEARS: Record<RetentionClass, number | null> = { '1y': 1, '3y': 3, '5y': 5, '10y': 10, '30y': 30, permanent: null };

export function isRetentionClass(value: unknown): value is RetentionClass {
  return typeof value === 'string' && (RETENTION_CLASSES as readonly string[]).includes(value);
}

/** When the retention period starts (起算日): the 1 April after the date the cycle closed (its Tokyo date). */
export function retentionStart(closedOn: string): string {
  return addDays(fiscalYearEnd(fiscalYearOf(closedOn)), 1);
}

/**
 * The disposal date (保存期間満了日): the last day of the N-th fiscal year counted from the
 * 起算日, i.e. 31 March. A record of 常用 has none (null). Closed 2025-05-10 with 5年: 起算日
 * 2026-04-01, 満了 2031-03-31.
 */
export function disposalDate(closedOn: string, cls: RetentionClass): string | null {
  const years = YEARS[cls];
  if (years === null) return null;
  return fiscalYearEnd(fiscalYearOf(retentionStart(closedOn)) + years - 1);
}
