import { DomainRuleError } from '../errors';
import { calendarYearOfFiscalMonth, fiscalYearEnd, fiscalYearOf, fiscalYearStart } from './fiscal-year';

describe('fiscal year', () => {
  it('starts on 1 April', () => {
    expect(fiscalYearOf('2025-03-31')).toBe(2024);
    expect(fiscalYearOf('2025-04-01')).toBe(2025);
    expect(fiscalYearOf('2024-04-01')).toBe(2024);
    expect(fiscalYearOf('2024-12-31')).toBe(2024);
    expect(fiscalYearOf('2025-01-01')).toBe(2024);
  });

  it('has its bounds', () => {
    expect(fiscalYearStart(2024)).toBe('2024-04-01');
    expect(fiscalYearEnd(2024)).toBe('2025-03-31');
    expect(calendarYearOfFiscalMonth(2024, 4)).toBe(2024);
    expect(calendarYearOfFiscalMonth(2024, 12)).toBe(2024);
    expect(calendarYearOfFiscalMonth(2024, 3)).toBe(2025);
  });

  it('rejects malformed dates', () => {
    expect(() => fiscalYearOf('2025/03/31')).toThrow(DomainRuleError);
  });
});
