import { DEFAULT_REMINDER_SCHEDULE, tokyoInstant } from './reminder-schedule';
import { escalationRecipient, reviewWait } from './review-wait';

const at = (date: string, hour = 14) => tokyoInstant(date, hour);
const brief = (w: ReturnType<typeof reviewWait>) => w.slots.map((s) => `${s.date} ${s.kind} ${s.businessDaysFromDeadline}`);

describe('reviewWait', () => {
  it('keeps the cycle review deadline when it leaves the approver enough days; past slots are left out', () => {
    // Submitted Mon 2025-04-21 afternoon; review deadline Wed 5/7 (Golden Week in between).
    const w = reviewWait(at('2025-04-21'), '2025-05-07', DEFAULT_REMINDER_SCHEDULE, 9);
    expect(w).toMatchObject({ since: '2025-04-21', deadline: '2025-05-07', cycleDeadline: true });
    expect(brief(w)).toEqual([
      '2025-04-23 before -7',
      '2025-04-30 before -3',
      '2025-05-07 on_deadline 0',
      '2025-05-09 overdue 2',
      '2025-05-13 overdue 4',
      '2025-05-15 overdue 6',
      '2025-05-19 overdue 8',
      '2025-05-21 overdue 10',
    ]);
    // Submitted after the 7-day reminder: it is not sent late (the 承認依頼 went at once).
    expect(brief(reviewWait(at('2025-04-24'), '2025-05-07', DEFAULT_REMINDER_SCHEDULE, 9))[0]).toBe('2025-04-30 before -3');
  });

  it('a review deadline already passed (a cycle opened late): the minimum from the day it started waiting', () => {
    // Submitted Fri 2026-11-27; the review deadline was in 2020. Five business days: Fri 12/4.
    const w = reviewWait(at('2026-11-27'), '2020-11-30', DEFAULT_REMINDER_SCHEDULE, 9);
    expect(w).toMatchObject({ since: '2026-11-27', deadline: '2026-12-04', cycleDeadline: false });
    expect(brief(w)).toEqual([
      '2026-12-01 before -3',
      '2026-12-04 on_deadline 0',
      '2026-12-08 overdue 2',
      '2026-12-10 overdue 4',
      '2026-12-14 overdue 6',
      '2026-12-16 overdue 8',
      '2026-12-18 overdue 10',
    ]);
  });

  it('a deadline too close is moved to the minimum; a wait begun on a closed day counts from the next business day', () => {
    expect(reviewWait(at('2025-05-06'), '2025-05-08', DEFAULT_REMINDER_SCHEDULE, 9, 3)).toMatchObject({ deadline: '2025-05-12', cycleDeadline: false });
    // Sat 12/27/2025: the year-end closure runs to 1/3; from Mon 1/5, 2 business days → Wed 1/7.
    expect(reviewWait(at('2025-12-27'), '2025-12-26', DEFAULT_REMINDER_SCHEDULE, 9, 2).deadline).toBe('2026-01-07');
  });

  it("a wait that starts before the send hour keeps that day's slot", () => {
    const w = reviewWait(
      at('2026-12-04', 8),
      '2026-12-04',
      { beforeBusinessDays: [], onDeadline: true, overdueEveryBusinessDays: 0, overdueMaxCount: 0 },
      9,
      0,
    );
    expect(brief(w)).toEqual(['2026-12-04 on_deadline 0']);
    expect(
      reviewWait(at('2026-12-04', 10), '2026-12-04', { beforeBusinessDays: [], onDeadline: true, overdueEveryBusinessDays: 0, overdueMaxCount: 0 }, 9, 0).slots,
    ).toEqual([]);
  });

  it('rejects a negative minimum', () => {
    expect(() => reviewWait(at('2026-12-04'), '2026-12-04', DEFAULT_REMINDER_SCHEDULE, 9, -1)).toThrow('承認の最短日数');
  });
});

describe('escalationRecipient', () => {
  it('the department head, unless the head is the one who must act, or there is none', () => {
    expect(escalationRecipient(7, [3, 4])).toBe(7);
    expect(escalationRecipient(7, [7])).toBeNull();
    expect(escalationRecipient(null, [3])).toBeNull();
  });
});
