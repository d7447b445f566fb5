import { DomainRuleError } from '../errors';
import { eraMonthLabel, eraShortYear, eraYearLabel, eraYearRangeLabel } from './era';

describe('era labels', () => {
  it('labels fiscal years', () => {
    expect(eraYearLabel(2024)).toBe('令和6年度');
    expect(eraYearLabel(2025)).toBe('令和7年度');
    expect(eraYearLabel(2020)).toBe('令和2年度');
    expect(eraYearLabel(2018)).toBe('平成30年度');
    expect(eraYearLabel(1989)).toBe('平成元年度');
    expect(eraYearLabel(1988)).toBe('昭和63年度');
  });

  it('calls FY2019 令和元年度 although it began under 平成', () => {
    expect(eraYearLabel(2019)).toBe('令和元年度');
    expect(eraShortYear(2019)).toBe('R1');
  });

  it('labels calendar months, with 元年', () => {
    expect(eraMonthLabel(2023, 10)).toBe('令和5年10月');
    expect(eraMonthLabel(2025, 3)).toBe('令和7年3月');
    expect(eraMonthLabel(2019, 4)).toBe('平成31年4月');
    expect(eraMonthLabel(2019, 5)).toBe('令和元年5月');
    expect(eraMonthLabel(2020, 1)).toBe('令和2年1月');
  });

  it('short years', () => {
    expect(eraShortYear(2024)).toBe('R6');
    expect(eraShortYear(2018)).toBe('H30');
    expect(eraShortYear(1988)).toBe('S63');
  });

  it('ranges within and across eras', () => {
    expect(eraYearRangeLabel(2021, 2024)).toBe('令和3～6年度');
    expect(eraYearRangeLabel(2017, 2020)).toBe('平成29～令和2年度');
    expect(eraYearRangeLabel(2016, 2019)).toBe('平成28～令和元年度');
  });

  it('rejects nonsense', () => {
    expect(() => eraYearLabel(2024.5)).toThrow(DomainRuleError);
    expect(() => eraMonthLabel(2024, 13)).toThrow(DomainRuleError);
    expect(() => eraMonthLabel(2024, 0)).toThrow(DomainRuleError);
  });
});
