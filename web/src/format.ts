import { eraDateLabel } from '../../libs/domain/src/forms/field-value';
import type { Role } from './types';

const timeFormat = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const tokyoParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const WEEKDAYS = '日月火水木金土';

/**
 * '2024-06-10' (a DATE column) → 令和6年6月10日(月), read as a calendar date, not a UTC instant:
 * the era years the mails and the printed reports use, from the domain's one era table.
 */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = iso.slice(0, 10);
  const [y, m, d] = date.split('-').map(Number);
  return `${eraDateLabel(date)}(${WEEKDAYS[new Date(y, m - 1, d).getDay()]})`;
}

/** An instant, in Tokyo time: 令和8年12月1日 20:40. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parts = Object.fromEntries(tokyoParts.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${eraDateLabel(`${parts.year}-${parts.month}-${parts.day}`)} ${parts.hour}:${parts.minute}`;
}

export function formatTime(date: Date): string {
  return timeFormat.format(date);
}

/** Days from today (local) to a DATE; negative once past. */
export function daysUntil(iso: string): number {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  const today = new Date();
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((new Date(y, m - 1, d).getTime() - start.getTime()) / 86_400_000);
}

export function itemNumber(number: number, sub?: string | null): string {
  return sub ? `${number}-${sub}` : String(number);
}

// Role names are the domain's own (libs/domain/src/org/roles.ts), shown the same in mail and reports.
export { ROLE_LABELS } from '../../libs/domain/src/org/roles';

export function hasRole(roles: readonly Role[] | undefined, ...wanted: Role[]): boolean {
  return !!roles && wanted.some((r) => roles.includes(r));
}
