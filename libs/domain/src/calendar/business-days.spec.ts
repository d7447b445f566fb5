import { DomainRuleError } from '../errors';
import {
  addBusinessDays,
  addDays,
  businessDaysBetween,
  deadlineFromPeriodEnd,
  holidayName,
  isBusinessDay,
  nextBusinessDay,
  onOrAfterBusinessDay,
  onOrBeforeBusinessDay,
  previousBusinessDay,
} from './business-days';

describe('isBusinessDay', () => {
  it('ordinary weekdays are business days, weekends are not', () => {
    expect(isBusinessDay('2024-10-15')).toBe(true); // Tue
    expect(isBusinessDay('2024-10-18')).toBe(true); // Fri
    expect(isBusinessDay('2024-10-19')).toBe(false); // Sat
    expect(isBusinessDay('2024-10-20')).toBe(false); // Sun
  });

  it('Golden Week 2025: 4/29 and 5/3–5/6 are closed, 5/1, 5/2 and 5/7 are open', () => {
    const expected: Record<string, boolean> = {
      '2025-04-28': true,
      '2025-04-29': false, // 昭和の日 (Tue)
      '2025-04-30': true,
      '2025-05-01': true,
      '2025-05-02': true,
      '2025-05-03': false, // 憲法記念日 (Sat)
      '2025-05-04': false, // みどりの日 (Sun)
      '2025-05-05': false, // こどもの日 (Mon)
      '2025-05-06': false, // 振替休日 (Tue)
      '2025-05-07': true,
    };
    for (const [d, open] of Object.entries(expected)) expect([d, isBusinessDay(d)]).toEqual([d, open]);
    expect(holidayName('2025-05-06')).toContain('振替休日');
    expect(holidayName('2025-05-07')).toBeNull();
  });

  it('year-end closure 12/29–1/3 even on weekdays', () => {
    expect(isBusinessDay('2024-12-27')).toBe(true); // Fri
    for (const d of ['2024-12-29', '2024-12-30', '2024-12-31', '2025-01-01', '2025-01-02', '2025-01-03']) {
      expect([d, isBusinessDay(d)]).toEqual([d, false]);
    }
    expect(isBusinessDay('2025-01-06')).toBe(true); // Mon
    expect(isBusinessDay('2025-12-29')).toBe(false); // Mon, not a national holiday
    expect(isBusinessDay('2026-01-02')).toBe(false); // Fri
  });

  it('Monday holidays are closed', () => {
    expect(isBusinessDay('2024-09-16')).toBe(false); // 敬老の日
    expect(isBusinessDay('2025-01-13')).toBe(false); // 成人の日
    expect(isBusinessDay('2024-03-20')).toBe(false); // 春分の日 (Wed)
  });

  it('throws on a malformed date', () => {
    expect(() => isBusinessDay('2025-02-30')).toThrow(DomainRuleError);
  });
});

describe('moving between business days', () => {
  it('previousBusinessDay is strictly before', () => {
    expect(previousBusinessDay('2025-05-07')).toBe('2025-05-02');
    expect(previousBusinessDay('2025-05-02')).toBe('2025-05-01');
    expect(previousBusinessDay('2025-01-06')).toBe('2024-12-27');
    expect(previousBusinessDay('2024-09-17')).toBe('2024-09-13');
  });

  it('nextBusinessDay is strictly after', () => {
    expect(nextBusinessDay('2025-05-02')).toBe('2025-05-07');
    expect(nextBusinessDay('2024-12-27')).toBe('2025-01-06');
    expect(nextBusinessDay('2024-09-13')).toBe('2024-09-17');
    expect(nextBusinessDay('2024-10-15')).toBe('2024-10-16');
  });

  it('onOrBefore / onOrAfter keep a business day', () => {
    expect(onOrBeforeBusinessDay('2025-05-07')).toBe('2025-05-07');
    expect(onOrBeforeBusinessDay('2025-05-05')).toBe('2025-05-02');
    expect(onOrBeforeBusinessDay('2025-01-03')).toBe('2024-12-27');
    expect(onOrAfterBusinessDay('2025-05-05')).toBe('2025-05-07');
    expect(onOrAfterBusinessDay('2025-05-07')).toBe('2025-05-07');
  });

  it('addBusinessDays forwards and backwards', () => {
    expect(addBusinessDays('2025-05-01', 1)).toBe('2025-05-02');
    expect(addBusinessDays('2025-05-01', 2)).toBe('2025-05-07');
    expect(addBusinessDays('2025-05-07', -2)).toBe('2025-05-01');
    expect(addBusinessDays('2025-05-07', -4)).toBe('2025-04-28');
    expect(addBusinessDays('2025-05-07', -5)).toBe('2025-04-25');
    expect(addBusinessDays('2024-12-26', 2)).toBe('2025-01-06');
    expect(addBusinessDays('2024-10-15', 0)).toBe('2024-10-15');
  });

  it('addBusinessDays from a closed day counts from that day', () => {
    expect(addBusinessDays('2025-05-04', -1)).toBe('2025-05-02');
    expect(addBusinessDays('2025-05-04', 1)).toBe('2025-05-07');
    expect(addBusinessDays('2025-01-01', 1)).toBe('2025-01-06');
    expect(addBusinessDays('2025-01-01', -1)).toBe('2024-12-27');
  });

  it('addBusinessDays rejects fractional counts', () => {
    expect(() => addBusinessDays('2025-05-01', 1.5)).toThrow(DomainRuleError);
  });

  it('businessDaysBetween counts (a, b]', () => {
    expect(businessDaysBetween('2025-05-01', '2025-05-07')).toBe(2); // 5/2, 5/7
    expect(businessDaysBetween('2025-04-25', '2025-05-07')).toBe(5); // 4/28, 4/30, 5/1, 5/2, 5/7
    expect(businessDaysBetween('2024-12-27', '2025-01-06')).toBe(1);
    expect(businessDaysBetween('2024-10-15', '2024-10-15')).toBe(0);
    expect(businessDaysBetween('2025-05-07', '2025-05-01')).toBe(-2);
  });

  it('addBusinessDays and businessDaysBetween agree', () => {
    for (const start of ['2025-04-25', '2024-12-20', '2024-09-12']) {
      for (let n = 1; n <= 12; n++) expect(businessDaysBetween(start, addBusinessDays(start, n))).toBe(n);
    }
  });

  it('addDays is calendar arithmetic', () => {
    expect(addDays('2025-03-31', 1)).toBe('2025-04-01');
  });
});

describe('deadlineFromPeriodEnd', () => {
  it('moves a deadline on a closed day back to the previous business day', () => {
    expect(deadlineFromPeriodEnd('2024-03-31', 0)).toBe('2024-03-29'); // Sun -> Fri
    expect(deadlineFromPeriodEnd('2025-03-31', 0)).toBe('2025-03-31'); // Mon
    expect(deadlineFromPeriodEnd('2025-04-30', 5)).toBe('2025-05-02'); // 5/5 holiday
    expect(deadlineFromPeriodEnd('2025-04-30', 6)).toBe('2025-05-02'); // 5/6 振替休日
    expect(deadlineFromPeriodEnd('2025-04-30', 7)).toBe('2025-05-07');
    expect(deadlineFromPeriodEnd('2024-12-31', 0)).toBe('2024-12-27'); // year-end closure
    expect(deadlineFromPeriodEnd('2024-12-31', 3)).toBe('2024-12-27');
    expect(deadlineFromPeriodEnd('2024-08-31', 16)).toBe('2024-09-13'); // 9/16 敬老の日 (Mon)
    expect(deadlineFromPeriodEnd('2024-09-30', 14)).toBe('2024-10-11'); // 10/14 スポーツの日 (Mon) -> Fri
  });

  it('accepts negative offsets', () => {
    expect(deadlineFromPeriodEnd('2024-09-30', -1)).toBe('2024-09-27'); // Sun 9/29 -> Fri
  });
});
