import { findOption, isReasonRequired, isWorsening, RatingScale } from '../scales/rating-scale';

export type EntryFieldKey = 'progress' | 'fiscalGoal' | 'shortTermPlan' | 'kpiActuals' | 'reason' | 'nextSteps';

export const ENTRY_FIELD_KEYS: readonly EntryFieldKey[] = [
  'progress',
  'fiscalGoal',
  'shortTermPlan',
  'kpiActuals',
  'reason',
  'nextSteps',
];

/** Free-text fields (kpiActuals is the only structured one). */
export const ENTRY_TEXT_FIELD_KEYS = ['progress', 'fiscalGoal', 'shortTermPlan', 'reason', 'nextSteps'] as const;
export type EntryTextFieldKey = (typeof ENTRY_TEXT_FIELD_KEYS)[number];

export interface EntryFieldRule {
  key: EntryFieldKey;
  label: string;
  /** when_reason_needed: required when the rating needs a reason or worsened since the previous cycle. */
  required: 'always' | 'never' | 'when_reason_needed';
  /** In characters (code points). */
  maxLength?: number;
}

export const DEFAULT_TEXT_MAX_LENGTH = 4000;

export const DEFAULT_ENTRY_FIELDS: EntryFieldRule[] = [
  { key: 'progress', label: '進捗状況', required: 'always', maxLength: DEFAULT_TEXT_MAX_LENGTH },
  { key: 'fiscalGoal', label: '年度目標', required: 'never', maxLength: DEFAULT_TEXT_MAX_LENGTH },
  { key: 'shortTermPlan', label: '計画(短期目標)', required: 'never', maxLength: DEFAULT_TEXT_MAX_LENGTH },
  { key: 'kpiActuals', label: '指標実績', required: 'never' },
  { key: 'reason', label: '理由', required: 'when_reason_needed', maxLength: DEFAULT_TEXT_MAX_LENGTH },
  { key: 'nextSteps', label: '今後の取組', required: 'never', maxLength: DEFAULT_TEXT_MAX_LENGTH },
];

const DEFAULT_LABELS: Record<EntryFieldKey, string> = Object.fromEntries(
  DEFAULT_ENTRY_FIELDS.map((f) => [f.key, f.label]),
) as Record<EntryFieldKey, string>;

export interface EntryValues {
  rating?: string | null;
  progress?: string | null;
  fiscalGoal?: string | null;
  shortTermPlan?: string | null;
  reason?: string | null;
  nextSteps?: string | null;
  kpiActuals?: { kpiId: number; actual: number | null }[];
}

export interface FieldError {
  field: string;
  message: string;
}

/** Problems of a template's field list (unknown keys, duplicates, bad maxLength). */
export function validateFieldRules(fields: EntryFieldRule[]): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const f of fields) {
    if (!(ENTRY_FIELD_KEYS as readonly string[]).includes(f.key)) errors.push(`項目「${f.key}」は使用できません`);
    if (seen.has(f.key)) errors.push(`項目「${f.key}」が重複しています`);
    seen.add(f.key);
    if (!f.label?.trim()) errors.push(`項目「${f.key}」の表示名を入力してください`);
    if (!['always', 'never', 'when_reason_needed'].includes(f.required)) {
      errors.push(`項目「${f.key}」の必須区分が正しくありません`);
    }
    if (f.maxLength !== undefined && (!Number.isInteger(f.maxLength) || f.maxLength < 1)) {
      errors.push(`項目「${f.key}」の最大文字数は1以上の整数にしてください`);
    }
  }
  return errors;
}

function labelOf(fields: EntryFieldRule[], key: EntryFieldKey): string {
  return fields.find((f) => f.key === key)?.label ?? DEFAULT_LABELS[key];
}

function isBlank(v: string | null | undefined): boolean {
  return v === null || v === undefined || v.trim() === '';
}

/** Checks that hold even for a draft: well-formed values, known rating, lengths. */
export function validateDraft(fields: EntryFieldRule[], scale: RatingScale, values: EntryValues): FieldError[] {
  const errors: FieldError[] = [];
  const rating = values.rating;
  if (rating !== null && rating !== undefined) {
    if (typeof rating !== 'string' || !findOption(scale, rating)) {
      const allowed = scale.options.map((o) => o.symbol).join('・');
      errors.push({ field: 'rating', message: `評価「${String(rating)}」は選択肢(${allowed})にありません` });
    }
  }
  for (const key of ENTRY_TEXT_FIELD_KEYS) {
    const v = values[key];
    if (v === null || v === undefined) continue;
    const label = labelOf(fields, key);
    if (typeof v !== 'string') {
      errors.push({ field: key, message: `${label}(${key})は文字列で入力してください` });
      continue;
    }
    if (v.includes('\u0000')) {
      errors.push({ field: key, message: `${label}(${key})に使用できない文字(NUL)が含まれています` });
    }
    const max = fields.find((f) => f.key === key)?.maxLength;
    const length = [...v].length;
    if (max !== undefined && length > max) {
      errors.push({ field: key, message: `${label}(${key})は${max}文字以内で入力してください(現在${length}文字)` });
    }
  }
  if (values.kpiActuals !== undefined && values.kpiActuals !== null) {
    const label = labelOf(fields, 'kpiActuals');
    if (!Array.isArray(values.kpiActuals)) {
      errors.push({ field: 'kpiActuals', message: `${label}(kpiActuals)の形式が正しくありません` });
    } else {
      const seen = new Set<number>();
      values.kpiActuals.forEach((k, i) => {
        const field = `kpiActuals[${i}]`;
        if (!k || !Number.isInteger(k.kpiId) || k.kpiId < 1) {
          errors.push({ field: `${field}.kpiId`, message: `${label}の指標IDが正しくありません` });
          return;
        }
        if (seen.has(k.kpiId)) errors.push({ field: `${field}.kpiId`, message: `${label}の指標ID ${k.kpiId} が重複しています` });
        seen.add(k.kpiId);
        if (k.actual !== null && (typeof k.actual !== 'number' || !Number.isFinite(k.actual))) {
          errors.push({ field: `${field}.actual`, message: `${label}(指標ID ${k.kpiId})の実績は数値で入力してください` });
        }
      });
    }
  }
  return errors;
}

/**
 * Draft checks plus completeness: a rating, every 'always' field, and a reason (and every
 * 'when_reason_needed' field) when the rating is in scale.reasonRequiredFor or is worse than
 * the previous cycle's rating. kpiActuals 'always' means every listed KPI has an actual
 * (an item may have no KPIs at all).
 */
export function validateForSubmit(
  fields: EntryFieldRule[],
  scale: RatingScale,
  values: EntryValues,
  previousRating?: string | null,
): FieldError[] {
  const errors = validateDraft(fields, scale, values);
  const rating = values.rating ?? null;
  if (rating === null || rating === '') {
    errors.push({ field: 'rating', message: '評価を選択してください' });
  }
  const option = findOption(scale, rating);
  const previous = findOption(scale, previousRating);
  const byRating = !!option && isReasonRequired(scale, rating);
  const worsened = !!option && isWorsening(scale, previousRating, rating);
  const reasonNeeded = byRating || worsened;
  const why = byRating
    ? `評価が${option!.symbol}の場合は`
    : worsened
      ? `評価が前回(${previous!.symbol})から${option!.symbol}に下がったため、`
      : '';

  const required = new Set<EntryFieldKey>();
  for (const f of fields) {
    if (f.required === 'always' || (f.required === 'when_reason_needed' && reasonNeeded)) required.add(f.key);
  }
  if (reasonNeeded) required.add('reason');

  for (const key of ENTRY_FIELD_KEYS) {
    if (!required.has(key) || errors.some((e) => e.field === key)) continue;
    const label = labelOf(fields, key);
    if (key === 'kpiActuals') {
      const missing = (values.kpiActuals ?? []).filter((k) => k && k.actual === null);
      if (missing.length) {
        errors.push({
          field: 'kpiActuals',
          message: `${label}(kpiActuals)を入力してください(未入力の指標ID: ${missing.map((k) => k.kpiId).join(', ')})`,
        });
      }
      continue;
    }
    if (isBlank(values[key])) {
      const conditional = reasonNeeded && (key === 'reason' || fields.find((f) => f.key === key)?.required === 'when_reason_needed');
      errors.push({ field: key, message: `${conditional ? why : ''}${label}(${key})を入力してください` });
    }
  }
  return errors;
}
