import { slotKey } from '@app/domain';
import { deadlineLabel, digestSubject, japaneseDate, lateOpeningNote, planCycleOpening, slotLabel } from './reminder-plan';

const planCycleSlots = (...args: Parameters<typeof planCycleOpening>) => planCycleOpening(...args).slots;

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

  it('sends what a late opening missed at the next send hour: the 依頼 for the sections, one catch-up slot for the approvers', () => {
    const deadlines = { submissionDeadline: '2025-05-07', reviewDeadline: '2025-05-13' };
    // Opened at noon on 5/8 (Thu): the sections' slots up to 5/7 are past; the next send hour is 5/9 09:00,
    // when an overdue slot is planned anyway, so the 依頼 then stands in for it.
    const lateOpen = planCycleOpening(deadlines, schedule, 9, new Date('2025-05-08T03:00:00Z'));
    expect(summary(lateOpen.slots).filter((s) => s.startsWith('submit'))).toEqual(['submit overdue 2025-05-13T09 4']);
    expect(lateOpen.late).toEqual({ missed: 3, missedBefore: 2, deadlinePassed: true, requestAt: new Date('2025-05-09T00:00:00Z') });
    // The review deadline's "7 days before" (5/1) and "3 days before" (5/8 09:00) passed: one slot at 5/9 09:00 instead.
    expect(summary(lateOpen.slots).filter((s) => s.startsWith('review'))).toEqual([
      'review before 2025-05-09T09 -3',
      'review on_deadline 2025-05-13T09 0',
      'review overdue 2025-05-15T09 2',
      'review overdue 2025-05-19T09 4',
    ]);
    expect(lateOpeningNote(lateOpen.late!, deadlines.submissionDeadline)).toBe(
      '提出期限（令和7年5月7日(水)）を過ぎてからの開始のため、期限前のお知らせ（「N日前」）は送信しません。依頼は次の送信時刻（令和7年5月9日(金) 9時）に期限超過として送信します。',
    );
  });

  it('opened in the evening after the first reminder: the 依頼 waits for the next morning (over a weekend), no reminder is lost', () => {
    const deadlines = { submissionDeadline: '2025-05-07', reviewDeadline: '2025-05-21' };
    // Friday 4/25 20:00 Tokyo: the 7-days-before slot of 4/23 passed; next send hour is Monday 4/28 09:00.
    const plan = planCycleOpening(deadlines, schedule, 9, new Date('2025-04-25T11:00:00Z'));
    expect(plan.late).toEqual({ missed: 1, missedBefore: 1, deadlinePassed: false, requestAt: new Date('2025-04-28T00:00:00Z') });
    expect(summary(plan.slots).filter((s) => s.startsWith('submit'))).toEqual([
      'submit before 2025-04-30T09 -3',
      'submit on_deadline 2025-05-07T09 0',
      'submit overdue 2025-05-09T09 2',
      'submit overdue 2025-05-13T09 4',
    ]);
    expect(lateOpeningNote(plan.late!, deadlines.submissionDeadline)).toContain('依頼は次の送信時刻（令和7年4月28日(月) 9時）に送信します');
  });

  it('a cycle for a past period: no "N日前", one 依頼, and only the overdue reminders still ahead', () => {
    const deadlines = { submissionDeadline: '2020-10-09', reviewDeadline: '2020-10-23' };
    const plan = planCycleOpening(deadlines, schedule, 9, new Date('2026-12-01T03:00:00Z'));
    expect(plan.slots.filter((s) => s.audience === 'submit')).toEqual([]);
    expect(plan.late).toMatchObject({ deadlinePassed: true, missedBefore: 2, requestAt: new Date('2026-12-02T00:00:00Z') });
    expect(summary(plan.slots)).toEqual(['review overdue 2026-12-02T09 4']);
  });

  it('an opening in time is not late: the 依頼 goes at once', () => {
    expect(planCycleOpening({ submissionDeadline: '2025-05-07', reviewDeadline: '2025-05-21' }, schedule, 9, new Date('2025-04-01T00:00:00Z')).late).toBeNull();
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

describe('digest subjects', () => {
  const group = (cycleLabel: string, actionLabel: string, kind: 'before' | 'on_deadline' | 'overdue') => ({
    cycleLabel,
    actionLabel,
    kind,
    deadlineText: '令和8年12月10日(木)',
  });
  it('name the reminder, the cycle, the action and the count', () => {
    expect(digestSubject({ kind: 'overdue', total: 8, groups: [group('市長公約 令和8年度 上半期', 'エントリーの提出', 'overdue')] })).toBe(
      '【督促】市長公約 令和8年度 上半期：エントリーの提出の期限を過ぎています（8件）（評価サイクル）',
    );
    expect(
      digestSubject({
        kind: 'before',
        total: 3,
        groups: [group('市長公約 令和8年度 上半期', 'エントリーの提出', 'before'), group('行動計画 令和8年度', 'エントリーの承認', 'before')],
      }),
    ).toBe(
      '【期限のお知らせ】市長公約 令和8年度 上半期 ほか1サイクル：エントリーの提出・エントリーの承認の期限は令和8年12月10日(木)です（3件）（評価サイクル）',
    );
    expect(digestSubject({ kind: 'on_deadline', total: 1, groups: [group('部の目標 令和8年度', 'エントリーの承認', 'on_deadline')] })).toBe(
      '【本日締切】部の目標 令和8年度：エントリーの承認は本日が期限です（1件）（評価サイクル）',
    );
  });
});
