import { eraMonthLabel, tokyoToday } from '@app/domain';

/** '令和6年10月10日' for '2024-10-10' (or an instant, taken as its date in Japan); '' for null. */
export function eraDateLabel(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  const iso = value instanceof Date ? tokyoToday(value) : String(value).slice(0, 10);
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return '';
  return `${eraMonthLabel(y, m)}${d}日`;
}

/** 'YYYY-MM-DD' in Japan of an instant; '' for null (spreadsheet cells and CSV). */
export function tokyoDate(value: Date | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return tokyoToday(value instanceof Date ? value : new Date(value));
}
