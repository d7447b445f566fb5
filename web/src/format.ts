import type { Role } from './types';

const dateFormat = new Intl.DateTimeFormat('ja-JP', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
const dateTimeFormat = new Intl.DateTimeFormat('ja-JP', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Asia/Tokyo',
});
const timeFormat = new Intl.DateTimeFormat('ja-JP', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** '2024-06-10' (a DATE column) → 2024年6月10日(月), read as a calendar date, not a UTC instant. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return dateFormat.format(new Date(y, m - 1, d));
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTimeFormat.format(new Date(iso)) : '—';
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
