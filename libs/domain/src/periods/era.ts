import { DomainRuleError } from '../errors';

export interface EraYear {
  era: string;
  year: number;
}

const FORMAT = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', timeZone: 'UTC' });

const ERA_INITIALS: Record<string, string> = { 明治: 'M', 大正: 'T', 昭和: 'S', 平成: 'H', 令和: 'R' };

/** Era and era year of a calendar day (ICU may print year 1 as '1' or '元'). */
export function eraOfDate(year: number, month: number, day: number): EraYear {
  const parts = FORMAT.formatToParts(new Date(Date.UTC(year, month - 1, day)));
  const era = parts.find((p) => p.type === 'era')?.value;
  const yearText = parts.find((p) => p.type === 'year')?.value;
  const n = yearText === '元' ? 1 : Number(yearText);
  if (!era || !Number.isInteger(n)) throw new DomainRuleError(`和暦に変換できません: ${year}-${month}-${day}`);
  return { era, year: n };
}

/**
 * Era year of a fiscal year. Taken on 31 December, not 1 April: FY2019 began under 平成 (until
 * 2019-04-30) but is officially called 令和元年度; for every other fiscal year both days agree
 * (FY1988 stays 昭和63年度 because 平成 began in January 1989).
 */
export function eraOfFiscalYear(fiscalYear: number): EraYear {
  assertYear(fiscalYear);
  return eraOfDate(fiscalYear, 12, 31);
}

function eraYearNumber(year: number): string {
  return year === 1 ? '元' : String(year);
}

/** '令和6年度' for 2024, '令和元年度' for 2019, '平成30年度' for 2018. */
export function eraYearLabel(fiscalYear: number): string {
  const { era, year } = eraOfFiscalYear(fiscalYear);
  return `${era}${eraYearNumber(year)}年度`;
}

/** '令和5年10月' for (2023, 10): calendar month, era taken on its first day. */
export function eraMonthLabel(year: number, month: number): string {
  assertYear(year);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new DomainRuleError(`月が正しくありません: ${month}`);
  const e = eraOfDate(year, month, 1);
  return `${e.era}${eraYearNumber(e.year)}年${month}月`;
}

/** 'R6' for fiscal year 2024, 'R1' for 2019, 'H30' for 2018. */
export function eraShortYear(fiscalYear: number): string {
  const { era, year } = eraOfFiscalYear(fiscalYear);
  return `${ERA_INITIALS[era] ?? era}${year}`;
}

/** '令和3～6年度', or '平成29～令和2年度' when the span crosses an era. */
export function eraYearRangeLabel(firstFiscalYear: number, lastFiscalYear: number): string {
  const a = eraOfFiscalYear(firstFiscalYear);
  const b = eraOfFiscalYear(lastFiscalYear);
  const last = a.era === b.era ? eraYearNumber(b.year) : `${b.era}${eraYearNumber(b.year)}`;
  return `${a.era}${eraYearNumber(a.year)}～${last}年度`;
}

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw new DomainRuleError(`年が正しくありません: ${year}`);
}
