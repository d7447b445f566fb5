import { DomainRuleError } from '../errors';
import { DEFAULT_REMINDER_SCHEDULE, nextSendTime, ReminderSchedule, reminderSlots, slotKey, tokyoInstant, validateReminderSchedule } from './reminder-schedule';

const brief = (deadline: string, schedule: ReminderSchedule = DEFAULT_REMINDER_SCHEDULE) =>
  reminderSlots(deadline, schedule, 9).map((s) => `${s.date} ${s.kind} ${s.businessDaysFromDeadline}`);

describe('reminderSlots', () => {
  it('default schedule around Golden Week 2025 (deadline Wed 5/7)', () => {
    // Counting back over 5/6..5/3 and 4/29: -1 5/2, -2 5/1, -3 4/30, -4 4/28, -7 4/23.
    expect(brief('2025-05-07')).toEqual([
      '2025-04-23 before -7',
      '2025-04-30 before -3',
      '2025-05-07 on_deadline 0',
      '2025-05-09 overdue 2',
      '2025-05-13 overdue 4',
      '2025-05-15 overdue 6',
      '2025-05-19 overdue 8',
      '2025-05-21 overdue 10',
    ]);
  });

  it('skips the year-end closure', () => {
    const s: ReminderSchedule = { beforeBusinessDays: [1], onDeadline: true, overdueEveryBusinessDays: 1, overdueMaxCount: 1 };
    expect(brief('2025-01-06', s)).toEqual(['2024-12-27 before -1', '2025-01-06 on_deadline 0', '2025-01-07 overdue 1']);
  });

  it('sendAt is the hour in Tokyo as a UTC instant', () => {
    const [slot] = reminderSlots('2025-05-07', { beforeBusinessDays: [], onDeadline: true, overdueEveryBusinessDays: 0, overdueMaxCount: 0 }, 9);
    expect(slot.sendAt.toISOString()).toBe('2025-05-07T00:00:00.000Z');
    const [early] = reminderSlots('2025-05-07', { beforeBusinessDays: [], onDeadline: true, overdueEveryBusinessDays: 0, overdueMaxCount: 0 }, 8);
    expect(early.sendAt.toISOString()).toBe('2025-05-06T23:00:00.000Z');
  });

  it('is sorted and de-duplicated (on_deadline wins)', () => {
    const s: ReminderSchedule = { beforeBusinessDays: [3, 7, 3, 1], onDeadline: true, overdueEveryBusinessDays: 0, overdueMaxCount: 3 };
    // 10/14 is スポーツの日 (Mon).
    expect(brief('2024-10-15', s)).toEqual(['2024-10-03 before -7', '2024-10-09 before -3', '2024-10-11 before -1', '2024-10-15 on_deadline 0']);
  });

  it('a deadline on a closed day counts from the business day before', () => {
    const s: ReminderSchedule = { beforeBusinessDays: [], onDeadline: true, overdueEveryBusinessDays: 1, overdueMaxCount: 1 };
    expect(brief('2025-05-05', s)).toEqual(['2025-05-02 on_deadline 0', '2025-05-07 overdue 1']);
  });

  it('without onDeadline or overdue', () => {
    const s: ReminderSchedule = { beforeBusinessDays: [2], onDeadline: false, overdueEveryBusinessDays: 2, overdueMaxCount: 0 };
    expect(brief('2024-10-15', s)).toEqual(['2024-10-10 before -2']);
  });

  it('rejects a bad schedule or hour', () => {
    expect(() => reminderSlots('2025-05-07', { ...DEFAULT_REMINDER_SCHEDULE, beforeBusinessDays: [-1] }, 9)).toThrow(DomainRuleError);
    expect(() => reminderSlots('2025-05-07', { ...DEFAULT_REMINDER_SCHEDULE, overdueMaxCount: 1.5 }, 9)).toThrow(DomainRuleError);
    expect(() => reminderSlots('2025-05-07', DEFAULT_REMINDER_SCHEDULE, 24)).toThrow(DomainRuleError);
    expect(validateReminderSchedule(DEFAULT_REMINDER_SCHEDULE)).toEqual([]);
  });
});

describe('slotKey', () => {
  it('is the Tokyo date and hour', () => {
    expect(slotKey(new Date('2025-05-07T00:00:00Z'))).toBe('2025-05-07T09');
    expect(slotKey(new Date('2025-05-06T15:30:00Z'))).toBe('2025-05-07T00');
    expect(slotKey(new Date('2025-05-06T14:59:59Z'))).toBe('2025-05-06T23');
    expect(slotKey(tokyoInstant('2024-12-27', 17))).toBe('2024-12-27T17');
  });

  it('rejects an invalid date', () => {
    expect(() => slotKey(new Date('x'))).toThrow(DomainRuleError);
  });
});

describe('nextSendTime', () => {
  it('is today at the hour when it is still to come on a business day, else the next business day', () => {
    // Tue 2026-12-01 08:00 Tokyo → 09:00 the same day.
    expect(nextSendTime(new Date('2026-12-01T08:00:00+09:00'), 9).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    // 09:00 exactly has passed (strictly after now).
    expect(nextSendTime(new Date('2026-12-01T09:00:00+09:00'), 9).toISOString()).toBe('2026-12-02T00:00:00.000Z');
    // Friday evening → Monday.
    expect(nextSendTime(new Date('2026-12-04T18:00:00+09:00'), 9).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    // The year-end closure (12/29–1/3) and the weekend after it → Mon 2027-01-04.
    expect(nextSendTime(new Date('2026-12-28T10:00:00+09:00'), 9).toISOString()).toBe('2027-01-04T00:00:00.000Z');
    // A holiday (2027-01-11 成人の日) is skipped, even before the hour.
    expect(nextSendTime(new Date('2027-01-11T07:00:00+09:00'), 9).toISOString()).toBe('2027-01-12T00:00:00.000Z');
  });
});
