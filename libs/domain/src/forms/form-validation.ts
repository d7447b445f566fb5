import { findOption, isReasonRequired, isWorsening, RatingScale } from '../scales/rating-scale';
import { normaliseFieldValue, parseTypedNumber } from './field-value';
import { FormField, isBuiltinEntryKey } from './form-field';
import { evaluateRule, hasValue, Rule, RuleContext } from './form-rule';
import { anyKpiShortfall, KpiActual, KpiDefinition } from './kpi';

/** One problem of an entry, naming the field (its key, or `kpiActuals[0].actual`). */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * An entry's values as the form sees them: the built-in columns by key, every other entry
 * field in `values`. `scopeValues` are the department's and section's fields for the cycle.
 */
export interface FormValues {
  rating?: string | null;
  progress?: string | null;
  fiscalGoal?: string | null;
  shortTermPlan?: string | null;
  reason?: string | null;
  nextSteps?: string | null;
  kpiActuals?: KpiActual[];
  values?: Record<string, unknown>;
}

/** What a rule needs besides the entry: the previous rating, the item and its KPIs, the scopes' values. */
export interface FormContext {
  previousRating?: string | null;
  kpis?: readonly KpiDefinition[];
  fiscalYear?: number;
  item?: Record<string, unknown>;
  scopeValues?: Record<string, unknown>;
}

/** A field's current value, wherever the entry keeps it. */
export function valueOf(values: FormValues, key: string, scopeValues: Record<string, unknown> = {}): unknown {
  if (isBuiltinEntryKey(key)) return (values as Record<string, unknown>)[key];
  if (values.values && key in values.values) return values.values[key];
  return scopeValues[key];
}

/** Every field value by key (entry's and scopes'), as a rule reads them. */
export function ruleValues(fields: readonly FormField[], values: FormValues, scopeValues: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f.key, valueOf(values, f.key, scopeValues) ?? null]));
}

export function ruleContext(fields: readonly FormField[], scale: RatingScale, values: FormValues, ctx: FormContext = {}): RuleContext {
  const rating = values.rating ?? null;
  const previousRating = ctx.previousRating ?? null;
  return {
    rating,
    previousRating,
    ratingNeedsReason: !!findOption(scale, rating) && isReasonRequired(scale, rating),
    worsened: !!findOption(scale, rating) && isWorsening(scale, previousRating, rating),
    kpiShortfall: ctx.fiscalYear !== undefined && anyKpiShortfall(ctx.kpis ?? [], ctx.fiscalYear, values.kpiActuals),
    values: ruleValues(fields, values, ctx.scopeValues),
    item: ctx.item ?? {},
  };
}

export const isShown = (field: FormField, context: RuleContext) => evaluateRule(field.visible, context, true);
export const isRequiredNow = (field: FormField, context: RuleContext) => isShown(field, context) && evaluateRule(field.required, context, false);

/** Why a conditional field is required now, as the start of the message ("評価が△の場合は"). */
export function requiredBecause(rule: Rule | undefined, context: RuleContext, scale: RatingScale): string {
  if (typeof rule !== 'object') return '';
  const text = JSON.stringify(rule);
  const option = findOption(scale, context.rating);
  if (text.includes('"ratingNeedsReason"') && context.ratingNeedsReason) return `評価が${option!.symbol}の場合は`;
  if (text.includes('"worsened"') && context.worsened) {
    return `評価が前回(${findOption(scale, context.previousRating)!.symbol})から${option!.symbol}に下がったため、`;
  }
  if (text.includes('"kpiShortfall"') && context.kpiShortfall) return '指標の実績が目標に達していないため、';
  if (text.includes('"rating"') && option) return `評価が${option.symbol}の場合は`;
  return '';
}

/**
 * Checks that hold even for a draft: a known rating, well-formed values of the entry's own
 * fields (returned normalised: "１，２００" becomes 1200), KPI actuals of the right kind.
 */
export function validateDraftValues(
  fields: readonly FormField[],
  scale: RatingScale,
  input: FormValues,
  kpis?: readonly KpiDefinition[],
): { errors: FieldError[]; values: FormValues } {
  const errors: FieldError[] = [];
  const out: FormValues = { ...input, values: { ...(input.values ?? {}) } };
  const rating = input.rating;
  if (rating !== null && rating !== undefined) {
    if (typeof rating !== 'string' || !findOption(scale, rating)) {
      const allowed = scale.options.map((o) => o.symbol).join('・');
      errors.push({ field: 'rating', message: `評価「${String(rating)}」は選択肢(${allowed})にありません` });
    }
  }
  const entryFields = fields.filter((f) => f.scope === 'entry' && f.type !== 'rating' && f.type !== 'kpi_table');
  const known = new Set(entryFields.map((f) => f.key));
  for (const key of Object.keys(input.values ?? {})) {
    if (!known.has(key) || isBuiltinEntryKey(key)) errors.push({ field: key, message: `項目「${key}」はこの様式にありません` });
  }
  for (const f of entryFields) {
    const builtin = isBuiltinEntryKey(f.key);
    const raw = builtin ? (input as Record<string, unknown>)[f.key] : input.values?.[f.key];
    if (raw === undefined) continue;
    const result = normaliseFieldValue(f, raw);
    if ('message' in result) errors.push({ field: f.key, message: result.message });
    else if (builtin) (out as Record<string, unknown>)[f.key] = result.value;
    else out.values![f.key] = result.value;
  }
  // Built-in text columns the form does not list are still well-formed text.
  for (const key of ['progress', 'fiscalGoal', 'shortTermPlan', 'reason', 'nextSteps'] as const) {
    const v = input[key];
    if (v !== undefined && v !== null && !known.has(key)) {
      if (typeof v !== 'string') errors.push({ field: key, message: `${key}は文字列で入力してください` });
      else if (v.includes('\u0000')) errors.push({ field: key, message: `${key}に使用できない文字(NUL)が含まれています` });
    }
  }
  if (input.kpiActuals !== undefined && input.kpiActuals !== null) {
    const label = fields.find((f) => f.type === 'kpi_table')?.label ?? '指標実績';
    const checked = validateKpiActuals(label, input.kpiActuals, kpis);
    errors.push(...checked.errors);
    out.kpiActuals = checked.actuals;
  }
  return { errors, values: out };
}

function validateKpiActuals(label: string, actuals: unknown, kpis?: readonly KpiDefinition[]): { errors: FieldError[]; actuals: KpiActual[] } {
  const errors: FieldError[] = [];
  if (!Array.isArray(actuals)) return { errors: [{ field: 'kpiActuals', message: `${label}(kpiActuals)の形式が正しくありません` }], actuals: [] };
  const seen = new Set<number>();
  const out: KpiActual[] = [];
  actuals.forEach((k: KpiActual, i) => {
    const field = `kpiActuals[${i}]`;
    if (!k || !Number.isInteger(k.kpiId) || k.kpiId < 1) {
      errors.push({ field: `${field}.kpiId`, message: `${label}の指標IDが正しくありません` });
      return;
    }
    if (seen.has(k.kpiId)) errors.push({ field: `${field}.kpiId`, message: `${label}の指標ID ${k.kpiId} が重複しています` });
    seen.add(k.kpiId);
    const def = kpis?.find((d) => d.id === k.kpiId);
    if (kpis && !def) {
      errors.push({ field: `${field}.kpiId`, message: `指標 ${k.kpiId} はこの項目の指標ではありません` });
      return;
    }
    const name = def ? `${label}「${def.name}」` : `${label}(指標ID ${k.kpiId})`;
    let actual = k.actual ?? null;
    if (typeof actual === 'string' && actual.trim() === '') actual = null;
    if (actual !== null && def?.kind !== 'milestone') {
      const n = typeof actual === 'number' ? actual : typeof actual === 'string' ? parseTypedNumber(actual) : NaN;
      if (!Number.isFinite(n)) {
        // A milestone's wording is text; without the definition a string is allowed through.
        if (def || typeof actual !== 'string') errors.push({ field: `${field}.actual`, message: `${name}の実績は数値で入力してください` });
      } else actual = n;
    }
    if (actual !== null && def?.kind === 'milestone') {
      if (typeof actual !== 'string' && typeof actual !== 'number') errors.push({ field: `${field}.actual`, message: `${name}の実績は文字で入力してください` });
      else if (String(actual).length > 200) errors.push({ field: `${field}.actual`, message: `${name}の実績は200文字以内で入力してください` });
      else actual = String(actual);
    }
    out.push({ kpiId: k.kpiId, actual });
  });
  return { errors, actuals: out };
}

/**
 * Draft checks plus completeness: a rating, and every shown field whose rule requires it now
 * (the reason for △, a shortfall analysis when a KPI misses its target, a department's 総括).
 * A required KPI table means every KPI of the item has an actual.
 */
export function validateSubmitValues(
  fields: readonly FormField[],
  scale: RatingScale,
  input: FormValues,
  ctx: FormContext = {},
): { errors: FieldError[]; values: FormValues } {
  const { errors, values } = validateDraftValues(fields, scale, input, ctx.kpis);
  if (values.rating === null || values.rating === undefined || values.rating === '') {
    errors.push({ field: 'rating', message: '評価を選択してください' });
  }
  const context = ruleContext(fields, scale, values, ctx);
  for (const f of fields) {
    if (f.type === 'rating' || errors.some((e) => e.field === f.key)) continue;
    if (!isRequiredNow(f, context)) continue;
    const because = requiredBecause(f.required, context, scale);
    if (f.type === 'kpi_table') {
      const given = new Map((values.kpiActuals ?? []).map((k) => [k.kpiId, k.actual]));
      const ids = ctx.kpis ? ctx.kpis.map((k) => k.id) : (values.kpiActuals ?? []).map((k) => k.kpiId);
      const missing = ids.filter((id) => !hasValue(given.get(id)));
      if (missing.length) {
        errors.push({ field: 'kpiActuals', message: `${f.label}(kpiActuals)を入力してください(未入力の指標ID: ${missing.join(', ')})` });
      }
      continue;
    }
    if (hasValue(valueOf(values, f.key, ctx.scopeValues))) continue;
    const whose = f.scope === 'department' ? '部の項目' : f.scope === 'section' ? '課の項目' : '';
    errors.push({ field: f.key, message: `${because}${whose}${f.label}(${f.key})を入力してください` });
  }
  return { errors, values };
}

/** The item's attributes as a rule reads them: a per-year attribute gives the cycle's fiscal year's value. */
export function itemRuleValues(itemFields: readonly FormField[], attributes: Record<string, unknown>, fiscalYear: number): Record<string, unknown> {
  return Object.fromEntries(
    itemFields.map((f) => {
      const v = attributes[f.key];
      return [f.key, f.perYear && v && typeof v === 'object' && !Array.isArray(v) ? ((v as Record<string, unknown>)[String(fiscalYear)] ?? null) : (v ?? null)];
    }),
  );
}
