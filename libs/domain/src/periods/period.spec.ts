import { DomainRuleError } from '../errors';
import {
  nextPeriod,
  Period,
  PERIOD_TYPES,
  PeriodType,
  periodContaining,
  periodFromKey,
  periodsOfFiscalYear,
  previousPeriod,
  subPeriodsOfMultiYear,
} from './period';

const span = { spanYears: 4, firstFiscalYear: 2021 };

describe('periodFromKey', () => {
  it('monthly', () => {
    expect(periodFromKey('monthly', '2023-10')).toEqual<Period>({
      type: 'monthly',
      key: '2023-10',
      start: '2023-10-01',
      end: '2023-10-31',
      fiscalYear: 2023,
      label: '令和5年10月',
      shortLabel: '10月',
    });
    const feb = periodFromKey('monthly', '2024-02');
    expect([feb.end, feb.fiscalYear, feb.label]).toEqual(['2024-02-29', 2023, '令和6年2月']);
  });

  it('quarterly uses fiscal quarters', () => {
    expect(periodFromKey('quarterly', '2024-Q1')).toEqual<Period>({
      type: 'quarterly',
      key: '2024-Q1',
      start: '2024-04-01',
      end: '2024-06-30',
      fiscalYear: 2024,
      label: '令和6年度 第1四半期',
      shortLabel: '第1四半期',
    });
    const q = (k: string) => periodFromKey('quarterly', k);
    expect([q('2024-Q2').start, q('2024-Q2').end]).toEqual(['2024-07-01', '2024-09-30']);
    expect([q('2024-Q3').start, q('2024-Q3').end]).toEqual(['2024-10-01', '2024-12-31']);
    expect([q('2024-Q4').start, q('2024-Q4').end, q('2024-Q4').fiscalYear]).toEqual(['2025-01-01', '2025-03-31', 2024]);
    expect(q('2024-Q4').label).toBe('令和6年度 第4四半期');
  });

  it('half years', () => {
    expect(periodFromKey('half_year', '2024-H1')).toEqual<Period>({
      type: 'half_year',
      key: '2024-H1',
      start: '2024-04-01',
      end: '2024-09-30',
      fiscalYear: 2024,
      label: '令和6年度 上半期',
      shortLabel: '上半期',
    });
    const h2 = periodFromKey('half_year', '2024-H2');
    expect([h2.start, h2.end, h2.label, h2.shortLabel]).toEqual(['2024-10-01', '2025-03-31', '令和6年度 下半期', '下半期']);
  });

  it('fiscal year', () => {
    expect(periodFromKey('fiscal_year', 'FY2024')).toEqual<Period>({
      type: 'fiscal_year',
      key: 'FY2024',
      start: '2024-04-01',
      end: '2025-03-31',
      fiscalYear: 2024,
      label: '令和6年度',
      shortLabel: 'R6',
    });
    expect(periodFromKey('fiscal_year', 'FY2019').label).toBe('令和元年度');
  });

  it('multi year', () => {
    expect(periodFromKey('multi_year', 'FY2021-2024')).toEqual<Period>({
      type: 'multi_year',
      key: 'FY2021-2024',
      start: '2021-04-01',
      end: '2025-03-31',
      fiscalYear: 2021,
      label: '令和3～6年度',
      shortLabel: 'R3～R6',
    });
    expect(periodFromKey('multi_year', 'FY2024-2024').end).toBe('2025-03-31');
  });

  it('throws DomainRuleError on malformed keys or a key of another type', () => {
    const bad: [PeriodType, string][] = [
      ['monthly', '2024-13'],
      ['monthly', '2024-1'],
      ['monthly', '2024-00'],
      ['monthly', 'FY2024'],
      ['quarterly', '2024-Q5'],
      ['quarterly', '2024-Q0'],
      ['quarterly', '2024-H1'],
      ['half_year', '2024-H3'],
      ['half_year', '2024-Q1'],
      ['fiscal_year', '2024'],
      ['fiscal_year', 'FY24'],
      ['fiscal_year', ' FY2024'],
      ['multi_year', 'FY2024'],
      ['multi_year', 'FY2024-2021'],
      ['multi_year', 'FY2021-24'],
    ];
    for (const [type, key] of bad) expect(() => periodFromKey(type, key)).toThrow(DomainRuleError);
    expect(() => periodFromKey('weekly' as PeriodType, '2024-W1')).toThrow(DomainRuleError);
  });

  it('round-trips: periodFromKey(periodContaining(d).key) equals it', () => {
    for (const type of PERIOD_TYPES) {
      for (const d of ['2024-03-31', '2024-04-01', '2024-09-30', '2024-10-01', '2024-12-31', '2025-01-01']) {
        const p = periodContaining(type, d, span);
        expect(periodFromKey(type, p.key)).toEqual(p);
      }
    }
  });
});

describe('periodContaining', () => {
  it('finds the period of a date at FY edges', () => {
    expect(periodContaining('monthly', '2025-03-31').key).toBe('2025-03');
    expect(periodContaining('monthly', '2025-03-31').fiscalYear).toBe(2024);
    expect(periodContaining('quarterly', '2025-03-31').key).toBe('2024-Q4');
    expect(periodContaining('quarterly', '2025-04-01').key).toBe('2025-Q1');
    expect(periodContaining('quarterly', '2024-06-30').key).toBe('2024-Q1');
    expect(periodContaining('quarterly', '2024-07-01').key).toBe('2024-Q2');
    expect(periodContaining('quarterly', '2024-12-31').key).toBe('2024-Q3');
    expect(periodContaining('half_year', '2024-09-30').key).toBe('2024-H1');
    expect(periodContaining('half_year', '2024-10-01').key).toBe('2024-H2');
    expect(periodContaining('half_year', '2025-03-31').key).toBe('2024-H2');
    expect(periodContaining('fiscal_year', '2025-03-31').key).toBe('FY2024');
    expect(periodContaining('fiscal_year', '2025-04-01').key).toBe('FY2025');
  });

  it('every period contains its start and end', () => {
    for (const type of PERIOD_TYPES.filter((t) => t !== 'multi_year')) {
      for (const p of periodsOfFiscalYear(type, 2024)) {
        expect(periodContaining(type, p.start).key).toBe(p.key);
        expect(periodContaining(type, p.end).key).toBe(p.key);
      }
    }
  });

  it('multi year spans are aligned on firstFiscalYear', () => {
    expect(periodContaining('multi_year', '2021-04-01', span).key).toBe('FY2021-2024');
    expect(periodContaining('multi_year', '2025-03-31', span).key).toBe('FY2021-2024');
    expect(periodContaining('multi_year', '2025-04-01', span).key).toBe('FY2025-2028');
    expect(periodContaining('multi_year', '2021-03-31', span).key).toBe('FY2017-2020');
    expect(periodContaining('multi_year', '2024-10-01', { spanYears: 3, firstFiscalYear: 2022 }).key).toBe('FY2022-2024');
  });

  it('multi year needs spanYears and firstFiscalYear', () => {
    expect(() => periodContaining('multi_year', '2024-04-01')).toThrow(DomainRuleError);
    expect(() => periodContaining('multi_year', '2024-04-01', { spanYears: 4 })).toThrow(DomainRuleError);
    expect(() => periodContaining('multi_year', '2024-04-01', { firstFiscalYear: 2021 })).toThrow(DomainRuleError);
    expect(() => periodContaining('multi_year', '2024-04-01', { spanYears: 0, firstFiscalYear: 2021 })).toThrow(DomainRuleError);
  });

  it('rejects malformed dates', () => {
    expect(() => periodContaining('monthly', '2024-02-30')).toThrow(DomainRuleError);
  });
});

describe('next / previous', () => {
  const walk = (p: Period, n: number) => {
    const keys = [p.key];
    for (let i = 0; i < n; i++) keys.push((p = nextPeriod(p)).key);
    return keys;
  };

  it('monthly crosses the calendar and fiscal year', () => {
    expect(walk(periodFromKey('monthly', '2024-11'), 5)).toEqual(['2024-11', '2024-12', '2025-01', '2025-02', '2025-03', '2025-04']);
    expect(previousPeriod(periodFromKey('monthly', '2025-01')).key).toBe('2024-12');
  });

  it('quarterly and half-year cross the fiscal year', () => {
    expect(walk(periodFromKey('quarterly', '2024-Q3'), 3)).toEqual(['2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2']);
    expect(previousPeriod(periodFromKey('quarterly', '2025-Q1')).key).toBe('2024-Q4');
    expect(walk(periodFromKey('half_year', '2024-H1'), 2)).toEqual(['2024-H1', '2024-H2', '2025-H1']);
    expect(previousPeriod(periodFromKey('half_year', '2024-H1')).key).toBe('2023-H2');
  });

  it('fiscal and multi year', () => {
    expect(nextPeriod(periodFromKey('fiscal_year', 'FY2024')).key).toBe('FY2025');
    expect(previousPeriod(periodFromKey('fiscal_year', 'FY2024')).key).toBe('FY2023');
    const mp = periodFromKey('multi_year', 'FY2021-2024');
    expect(nextPeriod(mp).key).toBe('FY2025-2028');
    expect(previousPeriod(mp).key).toBe('FY2017-2020');
    expect(nextPeriod(mp, { spanYears: 5 }).key).toBe('FY2025-2029');
    expect(previousPeriod(mp, { spanYears: 2 }).key).toBe('FY2019-2020');
  });

  it('next then previous is identity, and periods tile without gaps', () => {
    for (const type of PERIOD_TYPES) {
      let p = periodContaining(type, '2023-04-01', span);
      for (let i = 0; i < 14; i++) {
        const n = nextPeriod(p);
        expect(previousPeriod(n)).toEqual(p);
        expect(n.start > p.end).toBe(true);
        expect(new Date(n.start).getTime() - new Date(p.end).getTime()).toBe(86_400_000);
        p = n;
      }
    }
  });
});

describe('periodsOfFiscalYear', () => {
  it('monthly: April to March', () => {
    const months = periodsOfFiscalYear('monthly', 2024);
    expect(months.map((p) => p.key)).toEqual([
      '2024-04',
      '2024-05',
      '2024-06',
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
    ]);
    expect(months.every((p) => p.fiscalYear === 2024)).toBe(true);
    expect(months[0].start).toBe('2024-04-01');
    expect(months[11].end).toBe('2025-03-31');
  });

  it('quarters, halves, the year', () => {
    expect(periodsOfFiscalYear('quarterly', 2024).map((p) => p.key)).toEqual(['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4']);
    expect(periodsOfFiscalYear('half_year', 2024).map((p) => p.shortLabel)).toEqual(['上半期', '下半期']);
    expect(periodsOfFiscalYear('fiscal_year', 2024).map((p) => p.key)).toEqual(['FY2024']);
  });

  it('is not applicable to multi year', () => {
    expect(() => periodsOfFiscalYear('multi_year', 2024)).toThrow(DomainRuleError);
  });
});

describe('subPeriodsOfMultiYear', () => {
  it('lists its fiscal years', () => {
    const years = subPeriodsOfMultiYear(periodFromKey('multi_year', 'FY2021-2024'));
    expect(years.map((p) => p.key)).toEqual(['FY2021', 'FY2022', 'FY2023', 'FY2024']);
    expect(years.map((p) => p.shortLabel)).toEqual(['R3', 'R4', 'R5', 'R6']);
    expect(years.every((p) => p.type === 'fiscal_year')).toBe(true);
  });

  it('rejects other period types', () => {
    expect(() => subPeriodsOfMultiYear(periodFromKey('fiscal_year', 'FY2024'))).toThrow(DomainRuleError);
  });
});
