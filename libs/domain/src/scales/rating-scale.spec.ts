import { DomainRuleError } from '../errors';
import { BUILTIN_SCALES, findOption, isReasonRequired, isWorsening, kpiAchievementRate, RatingScale, suggestRating, validateScale } from './rating-scale';

const { progress4, abcd, action4, goal3 } = BUILTIN_SCALES;
const summary = (s: RatingScale) => s.options.map((o) => `${o.value}:${o.symbol}:${o.label}:${o.ordinal}`);

describe('built-in scales', () => {
  it('progress4 ☆○△×', () => {
    expect(summary(progress4)).toEqual(['☆:☆:実施済み・目標達成:3', '○:○:計画どおり進行中:2', '△:△:計画より遅れている:1', '×:×:未着手・断念:0']);
    expect(progress4.reasonRequiredFor).toEqual(['△', '×']);
  });

  it('abcd', () => {
    expect(summary(abcd)).toEqual(['A:A:完了:3', 'B:B:実施中:2', 'C:C:着手:1', 'D:D:未着手:0']);
    expect(abcd.reasonRequiredFor).toEqual(['D']);
  });

  it('action4 ◎○△×', () => {
    expect(summary(action4)).toEqual(['◎:◎:完了:3', '○:○:実施中:2', '△:△:未着手:1', '×:×:中止:0']);
    expect(action4.reasonRequiredFor).toEqual(['△', '×']);
  });

  it('goal3 has no ordinal 1', () => {
    expect(summary(goal3)).toEqual(['達成:達成:達成:3', '着手:着手:着手:2', '未達成:未達成:未達成:0']);
    expect(goal3.reasonRequiredFor).toEqual(['未達成']);
  });

  it('codes match keys and all are valid', () => {
    for (const [code, scale] of Object.entries(BUILTIN_SCALES)) {
      expect(scale.code).toBe(code);
      expect(validateScale(scale)).toEqual([]);
    }
  });
});

describe('validateScale', () => {
  const base: RatingScale = {
    code: 'custom',
    name: '独自',
    options: [
      { value: 'good', symbol: '良', label: '良い', ordinal: 3 },
      { value: 'bad', symbol: '悪', label: '悪い', ordinal: 0 },
    ],
    reasonRequiredFor: ['bad'],
  };

  it('accepts a sound custom scale', () => {
    expect(validateScale(base)).toEqual([]);
  });

  it('rejects empty options', () => {
    const errors = validateScale({ ...base, options: [], reasonRequiredFor: [] });
    expect(errors).toEqual([expect.stringContaining('選択肢がありません')]);
  });

  it('rejects duplicate values', () => {
    const errors = validateScale({ ...base, options: [...base.options, { ...base.options[0], symbol: '◎' }] });
    expect(errors).toEqual([expect.stringContaining('「good」が重複')]);
  });

  it('rejects ordinals outside 0..3 or not integers', () => {
    for (const ordinal of [4, -1, 1.5, NaN]) {
      const errors = validateScale({ ...base, options: [{ ...base.options[0], ordinal }, base.options[1]] });
      expect(errors).toEqual([expect.stringContaining('序数')]);
    }
  });

  it('rejects reasonRequiredFor values that are not options', () => {
    expect(validateScale({ ...base, reasonRequiredFor: ['bad', 'ugly'] })).toEqual([expect.stringContaining('「ugly」')]);
  });

  it('rejects blank code, name, value', () => {
    expect(validateScale({ ...base, code: ' ' })).toHaveLength(1);
    expect(validateScale({ ...base, name: '' })).toHaveLength(1);
    expect(validateScale({ ...base, options: [{ ...base.options[0], value: '' }, base.options[1]] }).length).toBeGreaterThan(0);
  });
});

describe('options and comparisons', () => {
  it('findOption', () => {
    expect(findOption(abcd, 'B')?.label).toBe('実施中');
    expect(findOption(abcd, 'E')).toBeUndefined();
    expect(findOption(abcd, null)).toBeUndefined();
    expect(findOption(progress4, 'A')).toBeUndefined();
  });

  it('isReasonRequired', () => {
    expect(isReasonRequired(progress4, '△')).toBe(true);
    expect(isReasonRequired(progress4, '○')).toBe(false);
    expect(isReasonRequired(abcd, 'C')).toBe(false);
    expect(isReasonRequired(abcd, null)).toBe(false);
  });

  it('isWorsening compares the common ordinal', () => {
    expect(isWorsening(progress4, '☆', '○')).toBe(true);
    expect(isWorsening(progress4, '○', '△')).toBe(true);
    expect(isWorsening(progress4, '△', '○')).toBe(false);
    expect(isWorsening(progress4, '○', '○')).toBe(false);
    expect(isWorsening(progress4, null, '×')).toBe(false);
    expect(isWorsening(progress4, '○', null)).toBe(false);
    expect(isWorsening(progress4, 'Z', '×')).toBe(false);
    expect(isWorsening(goal3, '達成', '着手')).toBe(true);
  });
});

describe('suggestRating', () => {
  it('maps rates to ordinals on a full scale', () => {
    expect(suggestRating(progress4, 1.2)).toBe('☆');
    expect(suggestRating(progress4, 1)).toBe('☆');
    expect(suggestRating(progress4, 0.99)).toBe('○');
    expect(suggestRating(progress4, 0.8)).toBe('○');
    expect(suggestRating(progress4, 0.79)).toBe('△');
    expect(suggestRating(progress4, 0.5)).toBe('△');
    expect(suggestRating(progress4, 0.49)).toBe('×');
    expect(suggestRating(progress4, 0)).toBe('×');
    expect(suggestRating(abcd, 0.85)).toBe('B');
  });

  it('falls back to the nearest ordinal below when the scale lacks one', () => {
    expect(suggestRating(goal3, 0.6)).toBe('未達成');
    expect(suggestRating(goal3, 0.9)).toBe('着手');
    expect(suggestRating(goal3, 1)).toBe('達成');
    const noZero: RatingScale = {
      code: 'x',
      name: 'x',
      options: [
        { value: 'hi', symbol: 'H', label: 'hi', ordinal: 3 },
        { value: 'mid', symbol: 'M', label: 'mid', ordinal: 2 },
      ],
      reasonRequiredFor: [],
    };
    expect(suggestRating(noZero, 0.1)).toBe('mid'); // nothing below 0: the lowest option
  });

  it('rejects a non-finite rate', () => {
    expect(() => suggestRating(progress4, NaN)).toThrow(DomainRuleError);
  });
});

describe('kpiAchievementRate', () => {
  it('averages actual/target over usable KPIs', () => {
    expect(
      kpiAchievementRate([
        { target: 100, actual: 80 },
        { target: 10, actual: 10 },
      ]),
    ).toBeCloseTo(0.9);
    expect(
      kpiAchievementRate([
        { target: 100, actual: 50 },
        { target: null, actual: 5 },
        { target: 5, actual: null },
        { target: 0, actual: 3 },
      ]),
    ).toBe(0.5);
  });

  it('is null when no KPI qualifies', () => {
    expect(kpiAchievementRate([])).toBeNull();
    expect(
      kpiAchievementRate([
        { target: 0, actual: 1 },
        { target: null, actual: null },
      ]),
    ).toBeNull();
  });
});
