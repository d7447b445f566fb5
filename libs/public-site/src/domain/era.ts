import { eraMonthLabel, tokyoToday } from '@app/domain';

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** '令和8年12月1日(火)' for a date (an instant is taken as its day in Japan); '' for none. */
export function eraDayLabel(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  const iso = value instanceof Date ? tokyoToday(value) : String(value).slice(0, 10);
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return '';
  return `${eraMonthLabel(y, m)}${d}日(${WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]})`;
}

/** 'YYYY-MM-DD' (西暦, ISO 8601) of a date or of an instant's day in Japan. */
export function isoDay(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  return value instanceof Date ? tokyoToday(value) : String(value).length > 10 ? tokyoToday(new Date(value)) : String(value);
}
