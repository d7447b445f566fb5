import { addBusinessDays, isBusinessDay, nextBusinessDay } from '../calendar/business-days';
import { tokyoToday } from '../calendar/tokyo-date';
import { DomainRuleError } from '../errors';
import { reminderSlots, type ReminderSchedule, type ReminderSlot } from './reminder-schedule';

/**
 * Business days an approver has at least, from the day an entry starts waiting at their step,
 * when the cycle's review deadline leaves less (or has passed: a cycle opened late, an entry
 * submitted after the review deadline). Without it the first review reminder an approver got
 * would say 「期限を10営業日過ぎています」 on the day the entry reached them.
 */
export const DEFAULT_REVIEW_MIN_BUSINESS_DAYS = 5;

export interface ReviewWait {
  /** The day (Tokyo) the entry started waiting at the step. */
  since: string;
  /** The deadline the approver's reminders count from (before, on, after). */
  deadline: string;
  /** The cycle's review deadline was later than the minimum: the wait keeps it. */
  cycleDeadline: boolean;
  /** The reminder send slots still ahead (after `now`) for this wait, sorted by time. */
  slots: ReminderSlot[];
}

/**
 * The review reminders of one entry from the moment it starts waiting at a step (submitted, or
 * passed on by the step before): the deadline is the cycle's review deadline, or `minDays`
 * business days after the first business day of the wait when that is later. Slots already past
 * are left out: the 承認依頼 goes at once when the entry starts waiting, so nothing is missed.
 */
export function reviewWait(
  startedAt: Date,
  cycleReviewDeadline: string,
  schedule: ReminderSchedule,
  hour: number,
  minDays: number = DEFAULT_REVIEW_MIN_BUSINESS_DAYS,
): ReviewWait {
  if (!Number.isInteger(minDays) || minDays < 0) throw new DomainRuleError(`承認の最短日数が正しくありません: ${minDays}`);
  const since = tokyoToday(startedAt);
  const from = isBusinessDay(since) ? since : nextBusinessDay(since);
  const minimum = addBusinessDays(from, minDays);
  const cycleDeadline = cycleReviewDeadline >= minimum;
  const deadline = cycleDeadline ? cycleReviewDeadline : minimum;
  const slots = reminderSlots(deadline, schedule, hour).filter((s) => s.sendAt.getTime() > startedAt.getTime());
  return { since, deadline, cycleDeadline, slots };
}

/**
 * Who is told when an entry is overdue besides whoever must act on it: the head of the entry's
 * department (the superior of the section's writers and of its chief), unless the head is one
 * of those who must act (an evaluator's own step has no superior in the route: planning sees it
 * in the send log). One mail per person per send hour still: the head's copy is their digest.
 */
export function escalationRecipient(departmentHeadId: number | null, waitingOn: readonly number[]): number | null {
  if (departmentHeadId === null || waitingOn.includes(departmentHeadId)) return null;
  return departmentHeadId;
}
