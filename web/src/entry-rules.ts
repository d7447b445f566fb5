// The reason rule is the domain's own (libs/domain), imported rather than re-implemented, so the
// form asks for a reason exactly when the API's submit validation will require one.
import { findOption, isReasonRequired, isWorsening } from '../../libs/domain/src/scales/rating-scale';
import type { FieldKey, FieldRule, Scale } from './types';

export { findOption };

export interface ReasonNeed {
  needed: boolean;
  why: string;
}

export function reasonNeed(scale: Scale, rating: string | null, previousRating: string | null): ReasonNeed {
  const option = findOption(scale, rating);
  if (!option) return { needed: false, why: '' };
  if (isReasonRequired(scale, rating)) return { needed: true, why: `評価が「${option.symbol}」のため、理由の記入が必要です` };
  if (isWorsening(scale, previousRating, rating)) {
    const prev = findOption(scale, previousRating);
    return { needed: true, why: `評価が前回(${prev?.symbol ?? previousRating})から${option.symbol}に下がったため、理由の記入が必要です` };
  }
  return { needed: false, why: '' };
}

export function isRequired(rule: FieldRule | undefined, key: FieldKey, reason: ReasonNeed): boolean {
  if (key === 'reason' && reason.needed) return true;
  if (!rule) return false;
  return rule.required === 'always' || (rule.required === 'when_reason_needed' && reason.needed);
}

export const DEFAULT_LABELS: Record<FieldKey | 'rating', string> = {
  rating: '評価',
  progress: '進捗状況',
  fiscalGoal: '年度目標',
  shortTermPlan: '計画(短期目標)',
  kpiActuals: '指標実績',
  reason: '理由',
  nextSteps: '今後の取組',
};
