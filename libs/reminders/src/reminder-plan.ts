import { businessDaysBetween } from '@app/domain';
import { eraOfDate, nextSendTime, parseIsoDate, reminderSlots, tokyoToday } from '@app/domain';
import type { ReminderAudience, ReminderKind, ReminderSchedule } from '@app/domain';

export type { ReminderAudience };

export interface PlannedSlot {
  audience: ReminderAudience;
  kind: ReminderKind;
  deadline: string;
  businessDaysFromDeadline: number;
  sendAt: Date;
}

/** What opening a cycle after some of its reminder moments had passed means for its mail. */
export interface LateOpening {
  /** The submission reminders whose moment had passed ('before' ones among them: the "N日前"). */
  missed: number;
  missedBefore: number;
  /** The submission deadline had passed too: a cycle for a past period. */
  deadlinePassed: boolean;
  /** When the 依頼 goes (the next send hour): it stands in for the missed submission reminders. */
  requestAt: Date;
}

export interface CyclePlan {
  slots: PlannedSlot[];
  late: LateOpening | null;
}

/**
 * The reminder send slots of a cycle: the submission deadline reminds the sections, the review
 * deadline the approvers. A reminder whose moment has passed when the cycle opens is not
 * dropped: it goes at the next send hour. For the sections that is the 依頼 itself, sent then
 * (it lists the same entries, with the deadline as it stands that day), so a section opened
 * late gets one mail that morning, not a 依頼 and a reminder; a submission slot at that same
 * hour is left out for the same reason. For the approvers, the missed reminders become one
 * slot at the next send hour (of the latest missed kind), unless a slot is planned then anyway.
 */
export function planCycleOpening(
  deadlines: { submissionDeadline: string; reviewDeadline: string },
  schedule: ReminderSchedule,
  hour: number,
  now: Date,
): CyclePlan {
  const next = nextSendTime(now, hour);
  const all = (audience: ReminderAudience, deadline: string): PlannedSlot[] =>
    reminderSlots(deadline, schedule, hour).map((s) => ({
      audience,
      kind: s.kind,
      deadline,
      businessDaysFromDeadline: s.businessDaysFromDeadline,
      sendAt: s.sendAt,
    }));
  const isPast = (s: PlannedSlot) => s.sendAt.getTime() <= now.getTime();
  const atNext = (s: PlannedSlot) => s.sendAt.getTime() === next.getTime();

  const submit = all('submit', deadlines.submissionDeadline);
  const missedSubmit = submit.filter(isPast);
  const late: LateOpening | null = missedSubmit.length
    ? {
        missed: missedSubmit.length,
        missedBefore: missedSubmit.filter((s) => s.kind === 'before').length,
        deadlinePassed: tokyoToday(now) > deadlines.submissionDeadline,
        requestAt: next,
      }
    : null;
  const submitSlots = submit.filter((s) => !isPast(s) && !(late && atNext(s)));

  const review = all('review', deadlines.reviewDeadline);
  const reviewFuture = review.filter((s) => !isPast(s));
  const lastMissed = review.filter(isPast).pop();
  const catchUp = lastMissed && !reviewFuture.some(atNext) ? [{ ...lastMissed, sendAt: next }] : [];
  return { slots: [...submitSlots, ...catchUp, ...reviewFuture], late };
}

/** What the planning division is told when it opens a cycle late (the open result and its audit row). */
export function lateOpeningNote(late: LateOpening, deadline: string): string {
  const at = `${japaneseDate(tokyoToday(late.requestAt))} ${tokyoHour(late.requestAt)}時`;
  if (late.deadlinePassed) {
    return `提出期限（${japaneseDate(deadline)}）を過ぎてからの開始のため、期限前のお知らせ（「N日前」）は送信しません。依頼は次の送信時刻（${at}）に期限超過として送信します。`;
  }
  return `リマインダーの送信日を${late.missed}回分過ぎてからの開始のため、依頼は次の送信時刻（${at}）に送信します。過ぎた分のリマインダーは、この依頼がその代わりです。`;
}

function tokyoHour(at: Date): number {
  return new Date(at.getTime() + 9 * 3600_000).getUTCHours();
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

/**
 * The subject of a digest: what kind of reminder, for which cycle (the first, and how many
 * more), which action (エントリーの提出, エントリーの承認), and how many entries.
 */
export function digestSubject(digest: {
  kind: ReminderKind;
  total: number;
  groups: { cycleLabel: string; actionLabel: string; kind: ReminderKind; deadlineText: string }[];
}): string {
  const cycles = [...new Set(digest.groups.map((g) => g.cycleLabel))];
  const cycle = cycles.length > 1 ? `${cycles[0]} ほか${cycles.length - 1}サイクル` : cycles[0];
  const action = [...new Set(digest.groups.map((g) => g.actionLabel))].join('・');
  const due = digest.groups.find((g) => g.kind === digest.kind) ?? digest.groups[0];
  switch (digest.kind) {
    case 'overdue':
      return `【督促】${cycle}：${action}の期限を過ぎています（${digest.total}件）（評価サイクル）`;
    case 'on_deadline':
      return `【本日締切】${cycle}：${action}は本日が期限です（${digest.total}件）（評価サイクル）`;
    case 'before':
      return `【期限のお知らせ】${cycle}：${action}の期限は${due.deadlineText}です（${digest.total}件）（評価サイクル）`;
  }
}
