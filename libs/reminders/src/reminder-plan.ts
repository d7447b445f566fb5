import { businessDaysBetween } from '@app/domain';
import { eraOfDate, parseIsoDate, reminderSlots } from '@app/domain';
import type { ReminderAudience, ReminderKind, ReminderSchedule } from '@app/domain';

export type { ReminderAudience };

export interface PlannedSlot {
  audience: ReminderAudience;
  kind: ReminderKind;
  deadline: string;
  businessDaysFromDeadline: number;
  sendAt: Date;
}

/**
 * The reminder send slots of a cycle: the submission deadline reminds the sections, the review
 * deadline the approvers. Slots already past when the cycle opens are dropped, except the latest
 * one if it is an overdue reminder (a cycle opened late still nudges once, not five times).
 */
export function planCycleSlots(
  deadlines: { submissionDeadline: string; reviewDeadline: string },
  schedule: ReminderSchedule,
  hour: number,
  now: Date,
): PlannedSlot[] {
  const plan = (audience: ReminderAudience, deadline: string): PlannedSlot[] => {
    const slots = reminderSlots(deadline, schedule, hour).map((s) => ({
      audience,
      kind: s.kind,
      deadline,
      businessDaysFromDeadline: s.businessDaysFromDeadline,
      sendAt: s.sendAt,
    }));
    const future = slots.filter((s) => s.sendAt.getTime() > now.getTime());
    const past = slots.filter((s) => s.sendAt.getTime() <= now.getTime());
    const latestPast = past[past.length - 1];
    return latestPast?.kind === 'overdue' ? [latestPast, ...future] : future;
  };
  return [...plan('submit', deadlines.submissionDeadline), ...plan('review', deadlines.reviewDeadline)];
}

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** '令和6年10月10日(木)' for '2024-10-10'; the first year of an era is 元年. */
export function japaneseDate(date: string): string {
  const d = parseIsoDate(date);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const era = eraOfDate(y, m, day);
  return `${era.era}${era.year === 1 ? '元' : era.year}年${m}月${day}日(${WEEKDAYS[d.getUTCDay()]})`;
}

/** How a slot relates to its deadline, in the words of the mail. */
/**
 * What a digest says of its deadline on the day it is sent (not on the day its slot was
 * planned: a mail sent late, or on a later slot, still counts right).
 */
export function deadlineLabel(deadline: string, today: string): string {
  if (today === deadline) return '本日が期限です';
  const days = businessDaysBetween(deadline, today);
  if (today < deadline) return `期限まであと${-days}営業日です`;
  return days > 0 ? `期限を${days}営業日過ぎています` : '期限を過ぎています';
}

export function slotLabel(kind: ReminderKind, businessDaysFromDeadline: number): string {
  if (kind === 'on_deadline') return '本日が期限です';
  if (kind === 'before') return `期限まであと${-businessDaysFromDeadline}営業日です`;
  return `期限を${businessDaysFromDeadline}営業日過ぎています`;
}
