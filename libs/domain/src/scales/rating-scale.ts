import { DomainRuleError } from '../errors';

/**
 * One choice of a rating scale. `ordinal` is COMMON to all scales (3 best .. 0 worst) so
 * summaries and the "worsened since last cycle" rule can compare ratings of different scales.
 */
export interface RatingOption {
  value: string;
  symbol: string;
  label: string;
  ordinal: number;
}

export interface RatingScale {
  code: string;
  name: string;
  options: RatingOption[];
  /** Option values for which the entry must give a reason (理由). */
  reasonRequiredFor: string[];
}

export type BuiltinScaleCode = 'progress4' | 'abcd' | 'action4' | 'goal3';

export const MIN_ORDINAL = 0;
export const MAX_ORDINAL = 3;

const option = (symbol: string, label: string, ordinal: number): RatingOption => ({ value: symbol, symbol, label, ordinal });

export const BUILTIN_SCALES: Record<BuiltinScaleCode, RatingScale> = {
  progress4: {
    code: 'progress4',
    name: '進捗4段階(☆○△×)',
    options: [option('☆', '実施済み・目標達成', 3), option('○', '計画どおり進行中', 2), option('△', '計画より遅れている', 1), option('×', '未着手・断念', 0)],
    reasonRequiredFor: ['△', '×'],
  },
  abcd: {
    code: 'abcd',
    name: '取組状況4段階(ABCD)',
    options: [option('A', '完了', 3), option('B', '実施中', 2), option('C', '着手', 1), option('D', '未着手', 0)],
    reasonRequiredFor: ['D'],
  },
  action4: {
    code: 'action4',
    name: '実施状況4段階(◎○△×)',
    options: [option('◎', '完了', 3), option('○', '実施中', 2), option('△', '未着手', 1), option('×', '中止', 0)],
    reasonRequiredFor: ['△', '×'],
  },
  goal3: {
    code: 'goal3',
    name: '目標達成3段階',
    options: [option('達成', '達成', 3), option('着手', '着手', 2), option('未達成', '未達成', 0)],
    reasonRequiredFor: ['未達成'],
  },
};

export function isBuiltinScaleCode(code: string): code is BuiltinScaleCode {
  return Object.prototype.hasOwnProperty.call(BUILTIN_SCALES, code);
}

/** Problems of a (custom) scale, in Japanese; empty when the scale is usable. */
export function validateScale(scale: RatingScale): string[] {
  const errors: string[] = [];
  if (!scale.code?.trim()) errors.push('評価尺度のコードを入力してください');
  if (!scale.name?.trim()) errors.push('評価尺度の名称を入力してください');
  const options = Array.isArray(scale.options) ? scale.options : [];
  if (options.length === 0) errors.push('評価尺度に選択肢がありません');
  const seen = new Set<string>();
  for (const o of options) {
    if (!o.value?.trim()) errors.push('選択肢の値が空です');
    else if (seen.has(o.value)) errors.push(`選択肢の値「${o.value}」が重複しています`);
    seen.add(o.value);
    if (!o.symbol?.trim()) errors.push(`選択肢「${o.value}」の記号が空です`);
    if (!Number.isInteger(o.ordinal) || o.ordinal < MIN_ORDINAL || o.ordinal > MAX_ORDINAL) {
      errors.push(`選択肢「${o.value}」の序数は${MIN_ORDINAL}～${MAX_ORDINAL}の整数にしてください`);
    }
  }
  for (const v of Array.isArray(scale.reasonRequiredFor) ? scale.reasonRequiredFor : []) {
    if (!seen.has(v)) errors.push(`理由必須の値「${v}」は選択肢にありません`);
  }
  return errors;
}

export function findOption(scale: RatingScale, value: string | null | undefined): RatingOption | undefined {
  if (value === null || value === undefined) return undefined;
  return scale.options.find((o) => o.value === value);
}

export function isReasonRequired(scale: RatingScale, value: string | null | undefined): boolean {
  return value !== null && value !== undefined && scale.reasonRequiredFor.includes(value);
}

/** True when `next` is rated lower (common ordinal) than `previous`; false if either is missing/unknown. */
export function isWorsening(scale: RatingScale, previous: string | null | undefined, next: string | null | undefined): boolean {
  const a = findOption(scale, previous);
  const b = findOption(scale, next);
  return !!a && !!b && b.ordinal < a.ordinal;
}

/** Ordinal suggested by an achievement rate (actual / target). */
export function ordinalForAchievementRate(rate: number): number {
  if (rate >= 1) return 3;
  if (rate >= 0.8) return 2;
  if (rate >= 0.5) return 1;
  return 0;
}

/**
 * Suggested rating for an achievement rate: >= 1 best option, >= 0.8 ordinal 2, >= 0.5 ordinal 1,
 * else 0. When the scale lacks that ordinal, the nearest one below it (goal3 has no 1: 0.6 -> 未達成);
 * if none is below, the lowest option.
 */
export function suggestRating(scale: RatingScale, achievementRate: number): string {
  if (!Number.isFinite(achievementRate)) throw new DomainRuleError(`達成率が数値ではありません: ${achievementRate}`);
  if (scale.options.length === 0) throw new DomainRuleError(`評価尺度「${scale.code}」に選択肢がありません`);
  const sorted = [...scale.options].sort((a, b) => b.ordinal - a.ordinal);
  if (achievementRate >= 1) return sorted[0].value;
  const wanted = ordinalForAchievementRate(achievementRate);
  return (sorted.find((o) => o.ordinal <= wanted) ?? sorted[sorted.length - 1]).value;
}

/** Mean of actual/target over KPIs with both numbers and a non-zero target; null when none qualifies. */
export function kpiAchievementRate(kpis: { target: number | null; actual: number | null }[]): number | null {
  const rates = kpis.filter((k) => isNum(k.target) && isNum(k.actual) && k.target !== 0).map((k) => (k.actual as number) / (k.target as number));
  if (rates.length === 0) return null;
  return rates.reduce((sum, r) => sum + r, 0) / rates.length;
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** An option as a line of text: "A 完了", or just "達成" where the symbol is the word. */
export function optionText(o: Pick<RatingOption, 'symbol' | 'label'>): string {
  return o.symbol === o.label ? o.symbol : `${o.symbol} ${o.label}`;
}
