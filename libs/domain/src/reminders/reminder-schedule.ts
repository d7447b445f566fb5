import { addBusinessDays, isBusinessDay, nextBusinessDay, onOrBeforeBusinessDay } from '../calendar/business-days';
import { parseIsoDate } from '../calendar/iso-date';
import { DomainRuleError } from '../errors';

export interface ReminderSchedule {
  /** Business days before the deadline, e.g. [7, 3]. */
  beforeBusinessDays: number[];
  onDeadline: boolean;
  /** After the deadline: one reminder every N business days (0 = none) ... */
  overdueEveryBusinessDays: number;
  /** ... at most this many times. */
  overdueMaxCount: number;
}

export const DEFAULT_REMINDER_SCHEDULE: ReminderSchedule = {
  beforeBusinessDays: [7, 3],
  onDeadline: true,
  overdueEveryBusinessDays: 2,
  overdueMaxCount: 5,
};

/** A slot's place against its deadline (before it, on the day, overdue). */
export const REMINDER_KINDS = ['before', 'on_deadline', 'overdue'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export interface ReminderSlot {
  date: string;
  sendAt: Date;
  kind: ReminderKind;
  /** Negative before the deadline, 0 on it, positive when overdue. */
  businessDaysFromDeadline: number;
}

const TOKYO_OFFSET_MS = 9 * 3600_000; // Japan has no daylight saving time.

export function validateReminderSchedule(schedule: ReminderSchedule): string[] {
  const errors: string[] = [];
  const isCount = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  if (!Array.isArray(schedule.beforeBusinessDays) || !schedule.beforeBusinessDays.every((n) => isCount(n) && n > 0)) {
    errors.push('締切前の通知日(beforeBusinessDays)は1以上の整数で指定してください');
  }
  if (typeof schedule.onDeadline !== 'boolean') errors.push('締切日の通知(onDeadline)は真偽値で指定してください');
  if (!isCount(schedule.overdueEveryBusinessDays)) errors.push('督促の間隔(overdueEveryBusinessDays)は0以上の整数で指定してください');
  if (!isCount(schedule.overdueMaxCount)) errors.push('督促の回数(overdueMaxCount)は0以上の整数で指定してください');
  return errors;
}

/** `hour`:00 Tokyo time on `date`, as an instant. */
export function tokyoInstant(date: string, hour: number): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new DomainRuleError(`送信時刻が正しくありません: ${hour}`);
  return new Date(parseIsoDate(date).getTime() + hour * 3600_000 - TOKYO_OFFSET_MS);
}

const KIND_PRIORITY: Record<ReminderKind, number> = { on_deadline: 0, before: 1, overdue: 2 };

/**
 * The reminder send slots for a deadline, sorted by time. Dates are business days counted from
 * the deadline (a deadline on a closed day counts as the business day before it); two rules
 * landing on the same day give one slot (on_deadline wins over before, before over overdue).
 */
export function reminderSlots(deadline: string, schedule: ReminderSchedule, hour: number): ReminderSlot[] {
  const errors = validateReminderSchedule(schedule);
  if (errors.length) throw new DomainRuleError(errors.join(' / '));
  const base = onOrBeforeBusinessDay(deadline);
  const candidates: { kind: ReminderKind; offset: number }[] = [];
  for (const n of schedule.beforeBusinessDays) candidates.push({ kind: 'before', offset: -n });
  if (schedule.onDeadline) candidates.push({ kind: 'on_deadline', offset: 0 });
  if (schedule.overdueEveryBusinessDays > 0) {
    for (let i = 1; i <= schedule.overdueMaxCount; i++) {
      candidates.push({ kind: 'overdue', offset: i * schedule.overdueEveryBusinessDays });
    }
  }
  const byDate = new Map<string, ReminderSlot>();
  for (const c of candidates) {
    const date = addBusinessDays(base, c.offset);
    const existing = byDate.get(date);
    if (existing && KIND_PRIORITY[existing.kind] <= KIND_PRIORITY[c.kind]) continue;
    byDate.set(date, { date, sendAt: tokyoInstant(date, hour), kind: c.kind, businessDaysFromDeadline: c.offset });
  }
  return [...byDate.values()].sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime());
}

/**
 * The first send time after `now`: `hour`:00 Tokyo time on a business day. Mail that missed its
 * moment goes then, like every reminder, not in the middle of the night or on a holiday.
 */
export function nextSendTime(now: Date, hour: number): Date {
  const today = new Date(now.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 10);
  if (isBusinessDay(today) && tokyoInstant(today, hour).getTime() > now.getTime()) return tokyoInstant(today, hour);
  return tokyoInstant(nextBusinessDay(today), hour);
}

/** Idempotency key of a send slot: Tokyo date and hour, e.g. '2025-05-07T09'. */
export function slotKey(sendAt: Date): string {
  if (Number.isNaN(sendAt.getTime())) throw new DomainRuleError('送信日時が正しくありません');
  return new Date(sendAt.getTime() + TOKYO_OFFSET_MS).toISOString().slice(0, 13);
}

/** The Tokyo hour a slot key names ('2025-05-07T09', resends carry a suffix), as an instant: slotKey's inverse. */
export function slotHourStart(key: string): Date {
  return new Date(`${key.slice(0, 13)}:00:00+09:00`);
}
