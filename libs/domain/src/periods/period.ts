import { addDays, isoDate, lastDayOfMonth, parseIsoDate } from '../calendar/iso-date';
import { DomainRuleError } from '../errors';
import { eraMonthLabel, eraShortYear, eraYearLabel, eraYearRangeLabel } from './era';
import { calendarYearOfFiscalMonth, fiscalYearEnd, fiscalYearOf, fiscalYearStart } from './fiscal-year';

export type PeriodType = 'monthly' | 'quarterly' | 'half_year' | 'fiscal_year' | 'multi_year';

export const PERIOD_TYPES: readonly PeriodType[] = ['monthly', 'quarterly', 'half_year', 'fiscal_year', 'multi_year'];

export const PERIOD_TYPE_LABELS: Record<PeriodType, string> = {
  monthly: '月次',
  quarterly: '四半期',
  half_year: '半期',
  fiscal_year: '年度',
  multi_year: '複数年度',
};

export interface Period {
  type: PeriodType;
  /** Stable identifier: '2024-10', '2024-Q1', '2024-H1', 'FY2024', 'FY2021-2024'. */
  key: string;
  start: string;
  end: string;
  fiscalYear: number;
  label: string;
  /** Column header in matrices: '10月', '第1四半期', '上半期', 'R6', 'R3～R6'. */
  shortLabel: string;
}

export interface PeriodOptions {
  /** multi_year only: number of fiscal years in a span. */
  spanYears?: number;
  /** multi_year only: first fiscal year of the first span (spans are aligned on it). */
  firstFiscalYear?: number;
}

export function isPeriodType(value: unknown): value is PeriodType {
  return typeof value === 'string' && (PERIOD_TYPES as readonly string[]).includes(value);
}

// --- constructors ---------------------------------------------------------------------------

export function monthlyPeriod(year: number, month: number): Period {
  const label = eraMonthLabel(year, month);
  return {
    type: 'monthly',
    key: `${year}-${String(month).padStart(2, '0')}`,
    start: isoDate(year, month, 1),
    end: lastDayOfMonth(year, month),
    fiscalYear: month >= 4 ? year : year - 1,
    label,
    shortLabel: `${month}月`,
  };
}

export function quarterlyPeriod(fiscalYear: number, quarter: number): Period {
  if (![1, 2, 3, 4].includes(quarter)) throw new DomainRuleError(`四半期が正しくありません: ${quarter}`);
  const firstMonth = (((quarter - 1) * 3 + 3) % 12) + 1; // Q1 -> 4, Q4 -> 1
  const year = calendarYearOfFiscalMonth(fiscalYear, firstMonth);
  return {
    type: 'quarterly',
    key: `${fiscalYear}-Q${quarter}`,
    start: isoDate(year, firstMonth, 1),
    end: lastDayOfMonth(year, firstMonth + 2),
    fiscalYear,
    label: `${eraYearLabel(fiscalYear)} 第${quarter}四半期`,
    shortLabel: `第${quarter}四半期`,
  };
}

export function halfYearPeriod(fiscalYear: number, half: 1 | 2): Period {
  if (half !== 1 && half !== 2) throw new DomainRuleError(`半期が正しくありません: ${String(half)}`);
  const name = half === 1 ? '上半期' : '下半期';
  return {
    type: 'half_year',
    key: `${fiscalYear}-H${half}`,
    start: half === 1 ? isoDate(fiscalYear, 4, 1) : isoDate(fiscalYear, 10, 1),
    end: half === 1 ? isoDate(fiscalYear, 9, 30) : isoDate(fiscalYear + 1, 3, 31),
    fiscalYear,
    label: `${eraYearLabel(fiscalYear)} ${name}`,
    shortLabel: name,
  };
}

export function fiscalYearPeriod(fiscalYear: number): Period {
  return {
    type: 'fiscal_year',
    key: `FY${fiscalYear}`,
    start: fiscalYearStart(fiscalYear),
    end: fiscalYearEnd(fiscalYear),
    fiscalYear,
    label: eraYearLabel(fiscalYear),
    shortLabel: eraShortYear(fiscalYear),
  };
}

export function multiYearPeriod(firstFiscalYear: number, lastFiscalYear: number): Period {
  if (lastFiscalYear < firstFiscalYear) {
    throw new DomainRuleError(`複数年度の期間が正しくありません: ${firstFiscalYear}～${lastFiscalYear}`);
  }
  return {
    type: 'multi_year',
    key: `FY${firstFiscalYear}-${lastFiscalYear}`,
    start: fiscalYearStart(firstFiscalYear),
    end: fiscalYearEnd(lastFiscalYear),
    fiscalYear: firstFiscalYear,
    label: eraYearRangeLabel(firstFiscalYear, lastFiscalYear),
    shortLabel: `${eraShortYear(firstFiscalYear)}～${eraShortYear(lastFiscalYear)}`,
  };
}

// --- lookup -----------------------------------------------------------------------------------

function spanOptions(opts: PeriodOptions | undefined): { spanYears: number; firstFiscalYear: number } {
  const spanYears = opts?.spanYears;
  const firstFiscalYear = opts?.firstFiscalYear;
  if (!Number.isInteger(spanYears) || (spanYears as number) < 1) {
    throw new DomainRuleError('複数年度の期間には年数(spanYears)を1以上の整数で指定してください');
  }
  if (!Number.isInteger(firstFiscalYear)) {
    throw new DomainRuleError('複数年度の期間には開始年度(firstFiscalYear)を指定してください');
  }
  return { spanYears: spanYears as number, firstFiscalYear: firstFiscalYear as number };
}

/** The period of `type` that contains `date`; multi_year spans are aligned on opts.firstFiscalYear. */
export function periodContaining(type: PeriodType, date: string, opts?: PeriodOptions): Period {
  const d = parseIsoDate(date);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const fy = fiscalYearOf(date);
  switch (type) {
    case 'monthly':
      return monthlyPeriod(year, month);
    case 'quarterly':
      return quarterlyPeriod(fy, Math.floor(((month + 8) % 12) / 3) + 1);
    case 'half_year':
      return halfYearPeriod(fy, month >= 4 && month <= 9 ? 1 : 2);
    case 'fiscal_year':
      return fiscalYearPeriod(fy);
    case 'multi_year': {
      const { spanYears, firstFiscalYear } = spanOptions(opts);
      const first = firstFiscalYear + Math.floor((fy - firstFiscalYear) / spanYears) * spanYears;
      return multiYearPeriod(first, first + spanYears - 1);
    }
    default:
      throw new DomainRuleError(`期間の種類が正しくありません: ${String(type)}`);
  }
}

const KEY_PATTERNS: Record<PeriodType, RegExp> = {
  monthly: /^(\d{4})-(0[1-9]|1[0-2])$/,
  quarterly: /^(\d{4})-Q([1-4])$/,
  half_year: /^(\d{4})-H([12])$/,
  fiscal_year: /^FY(\d{4})$/,
  multi_year: /^FY(\d{4})-(\d{4})$/,
};

/** Parses a period key of the given type; throws DomainRuleError when it is malformed. */
export function periodFromKey(type: PeriodType, key: string): Period {
  const pattern = KEY_PATTERNS[type];
  if (!pattern) throw new DomainRuleError(`期間の種類が正しくありません: ${String(type)}`);
  const m = typeof key === 'string' ? pattern.exec(key) : null;
  if (!m) throw new DomainRuleError(`期間キー「${key}」は${PERIOD_TYPE_LABELS[type]}の形式ではありません`);
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a < 1900) throw new DomainRuleError(`期間キー「${key}」の年が正しくありません`);
  switch (type) {
    case 'monthly':
      return monthlyPeriod(a, b);
    case 'quarterly':
      return quarterlyPeriod(a, b);
    case 'half_year':
      return halfYearPeriod(a, b as 1 | 2);
    case 'fiscal_year':
      return fiscalYearPeriod(a);
    case 'multi_year':
      if (b < a) throw new DomainRuleError(`期間キー「${key}」の終了年度が開始年度より前です`);
      return multiYearPeriod(a, b);
  }
}

/** The period right after `p` (multi_year: the next span of the same length unless opts.spanYears). */
export function nextPeriod(p: Period, opts?: PeriodOptions): Period {
  return neighbour(p, 1, opts);
}

/** The period right before `p`. */
export function previousPeriod(p: Period, opts?: PeriodOptions): Period {
  return neighbour(p, -1, opts);
}

function neighbour(p: Period, direction: 1 | -1, opts?: PeriodOptions): Period {
  if (p.type === 'multi_year') {
    const current = periodFromKey('multi_year', p.key);
    const length = fiscalYearOf(current.end) - current.fiscalYear + 1;
    const span = opts?.spanYears ?? length;
    if (!Number.isInteger(span) || span < 1) throw new DomainRuleError('spanYears は1以上の整数で指定してください');
    const first = direction === 1 ? current.fiscalYear + length : current.fiscalYear - span;
    return multiYearPeriod(first, first + span - 1);
  }
  const date = direction === 1 ? addDays(p.end, 1) : addDays(p.start, -1);
  return periodContaining(p.type, date);
}

/** The periods of `type` in one fiscal year, in order (12 months from April, 4 quarters, 2 halves, 1 year). */
export function periodsOfFiscalYear(type: PeriodType, fiscalYear: number): Period[] {
  switch (type) {
    case 'monthly':
      return [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3].map((m) => monthlyPeriod(calendarYearOfFiscalMonth(fiscalYear, m), m));
    case 'quarterly':
      return [1, 2, 3, 4].map((q) => quarterlyPeriod(fiscalYear, q));
    case 'half_year':
      return [halfYearPeriod(fiscalYear, 1), halfYearPeriod(fiscalYear, 2)];
    case 'fiscal_year':
      return [fiscalYearPeriod(fiscalYear)];
    default:
      throw new DomainRuleError(`${PERIOD_TYPE_LABELS[type] ?? String(type)}は年度内の期間に分けられません`);
  }
}

/** The fiscal years of a multi-year period, as fiscal_year periods. */
export function subPeriodsOfMultiYear(p: Period): Period[] {
  if (p.type !== 'multi_year') throw new DomainRuleError(`複数年度の期間ではありません: ${p.key}`);
  const current = periodFromKey('multi_year', p.key);
  const result: Period[] = [];
  for (let fy = current.fiscalYear; fy <= fiscalYearOf(current.end); fy++) result.push(fiscalYearPeriod(fy));
  return result;
}
