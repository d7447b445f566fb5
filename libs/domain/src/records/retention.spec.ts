import { disposalDate, isRetentionClass, RETENTION_CLASS_LABELS, RETENTION_CLASSES, retentionStart } from './retention';

describe('retention (保存期間)', () => {
  it('counts from the 1 April after the closing date', () => {
    expect(retentionStart('2025-05-10')).toBe('2026-04-01');
    expect(retentionStart('2026-03-31')).toBe('2026-04-01');
    // Closed on 1 April: that day already belongs to the new fiscal year, so the count starts a year later.
    expect(retentionStart('2026-04-01')).toBe('2027-04-01');
  });

  it('ends on 31 March of the N-th fiscal year; 常用 never', () => {
    expect(disposalDate('2025-05-10', '1y')).toBe('2027-03-31');
    expect(disposalDate('2025-05-10', '5y')).toBe('2031-03-31');
    expect(disposalDate('2026-02-01', '3y')).toBe('2029-03-31');
    expect(disposalDate('2025-05-10', '30y')).toBe('2056-03-31');
    expect(disposalDate('2025-05-10', 'permanent')).toBeNull();
  });

  it('has a Japanese label for every class', () => {
    for (const c of RETENTION_CLASSES) expect(RETENTION_CLASS_LABELS[c]).toMatch(/年|常用/);
    expect(isRetentionClass('10y')).toBe(true);
    expect(isRetentionClass('7y')).toBe(false);
  });
});
