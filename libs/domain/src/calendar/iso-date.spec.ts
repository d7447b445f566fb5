import { DomainRuleError } from '../errors';
import { addDays, isoDate, lastDayOfMonth, parseIsoDate } from './iso-date';

describe('iso dates', () => {
  it('adds calendar days across month, year and leap day', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2024-09-30', 30)).toBe('2024-10-30');
    expect(addDays('2024-05-01', 0)).toBe('2024-05-01');
  });

  it('rejects malformed and impossible dates', () => {
    for (const bad of ['2025-02-30', '2025-13-01', '2025-1-01', '20250101', '', '2025-04-01T00:00:00Z']) {
      expect(() => parseIsoDate(bad)).toThrow(DomainRuleError);
    }
  });

  it('knows month ends', () => {
    expect(lastDayOfMonth(2024, 2)).toBe('2024-02-29');
    expect(lastDayOfMonth(2025, 2)).toBe('2025-02-28');
    expect(lastDayOfMonth(2024, 12)).toBe('2024-12-31');
    expect(isoDate(2025, 3, 31)).toBe('2025-03-31');
  });
});
