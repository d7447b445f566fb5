import { slotKey } from '@app/domain';
import { deadlineLabel, japaneseDate, planCycleSlots, slotLabel } from './reminder-plan';

const schedule = { beforeBusinessDays: [7, 3], onDeadline: true, overdueEveryBusinessDays: 2, overdueMaxCount: 2 };
const summary = (slots: ReturnType<typeof planCycleSlots>) => slots.map((s) => `${s.audience} ${s.kind} ${slotKey(s.sendAt)} ${s.businessDaysFromDeadline}`);

describe('planCycleSlots: business-day arithmetic on the real Japanese calendar', () => {
  it('counts back over Golden Week 2025 (4/29, 5/3-5/6 closed) and forward after it', () => {
    const slots = planCycleSlots({ submissionDeadline: '2025-05-07', reviewDeadline: '2025-05-21' }, schedule, 9, new Date('2025-04-01T00:00:00Z'));
    expect(summary(slots)).toEqual([
      // 5/2, 5/1, 4/30 are the three business days before 5/7; 4/29 is 昭和の日.
      'submit before 2025-04-23T09 -7',
      'submit before 2025-04-30T09 -3',
      'submit on_deadline 2025-05-07T09 0',
      'submit overdue 2025-05-09T09 2',
      'submit overdue 2025-05-13T09 4',
      'review before 2025-05-12T09 -7',
      'review before 2025-05-16T09 -3',
      'review on_deadline 2025-05-21T09 0',
      'review overdue 2025-05-23T09 2',
      'review overdue 2025-05-27T09 4',
    ]);
    // 09:00 in Tokyo is midnight UTC.
    expect(slots[0].sendAt.toISOString()).toBe('2025-04-23T00:00:00.000Z');
  });

  it('skips the year-end closure (12/29-1/3) and weekends', () => {
    const slots = planCycleSlots(
      { submissionDeadline: '2025-01-06', reviewDeadline: '2025-01-06' },
      { beforeBusinessDays: [1, 3], onDeadline: false, overdueEveryBusinessDays: 1, overdueMaxCount: 1 },
      9,
      new Date('2024-12-01T00:00:00Z'),
    );
    expect(summary(slots).filter((s) => s.startsWith('submit'))).toEqual([
      'submit before 2024-12-25T09 -3',
      'submit before 2024-12-27T09 -1',
      'submit overdue 2025-01-07T09 1',
    ]);
  });

  it('treats a deadline on a holiday as the business day before (こどもの日 2025 -> 5/2)', () => {
    const slots = planCycleSlots(
      { submissionDeadline: '2025-05-05', reviewDeadline: '2025-05-05' },
      { beforeBusinessDays: [], onDeadline: true, overdueEveryBusinessDays: 1, overdueMaxCount: 1 },
      8,
      new Date('2025-04-01T00:00:00Z'),
    );
    expect(summary(slots).filter((s) => s.startsWith('submit'))).toEqual(['submit on_deadline 2025-05-02T08 0', 'submit overdue 2025-05-07T08 1']);
  });

  it('drops slots already past when the cycle opens, except the latest overdue one', () => {
    const deadlines = { submissionDeadline: '2025-05-07', reviewDeadline: '2025-05-07' };
    // Opened at noon on 5/8: the on-deadline slot of 5/7 is past and not overdue, so nothing is sent for it.
    const lateOpen = planCycleSlots(deadlines, schedule, 9, new Date('2025-05-08T03:00:00Z'));
    expect(summary(lateOpen).filter((s) => s.startsWith('submit'))).toEqual(['submit overdue 2025-05-09T09 2', 'submit overdue 2025-05-13T09 4']);
    // Opened on 5/12: the 5/9 overdue reminder is kept (it goes out at once), the earlier ones are not.
    const veryLate = planCycleSlots(deadlines, schedule, 9, new Date('2025-05-12T03:00:00Z'));
    expect(summary(veryLate).filter((s) => s.startsWith('submit'))).toEqual(['submit overdue 2025-05-09T09 2', 'submit overdue 2025-05-13T09 4']);
    const afterAll = planCycleSlots(deadlines, schedule, 9, new Date('2025-06-30T03:00:00Z'));
    expect(summary(afterAll).filter((s) => s.startsWith('submit'))).toEqual(['submit overdue 2025-05-13T09 4']);
  });
});

describe('Japanese dates in mails', () => {
  it('prints era, month, day and weekday', () => {
    expect(japaneseDate('2024-10-10')).toBe('令和6年10月10日(木)');
    expect(japaneseDate('2019-05-01')).toBe('令和元年5月1日(水)');
    expect(japaneseDate('2019-04-30')).toBe('平成31年4月30日(火)');
  });

  it('describes the slot relative to its deadline', () => {
    expect(slotLabel('before', -3)).toBe('期限まであと3営業日です');
    expect(slotLabel('on_deadline', 0)).toBe('本日が期限です');
    expect(slotLabel('overdue', 2)).toBe('期限を2営業日過ぎています');
    // Counted on the day the mail goes, from the deadline: 14 business days, or six years.
    expect(deadlineLabel('2026-11-10', '2026-12-01')).toBe('期限を14営業日過ぎています'); // 11/23 is a holiday
    expect(deadlineLabel('2020-10-09', '2026-12-01')).toMatch(/^期限を1[45]\d\d営業日過ぎています$/);
    expect(deadlineLabel('2026-12-01', '2026-12-01')).toBe('本日が期限です');
    expect(deadlineLabel('2026-12-04', '2026-12-01')).toBe('期限まであと3営業日です');
  });
});
