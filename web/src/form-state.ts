// The entry form's state as typed, and its reading through the domain's own form engine: the
// browser shows a box, marks it required and computes a KPI's achievement with exactly the
// functions the API validates with (libs/domain/src/forms), never a copy of them.
import {
  FormContext,
  FormField,
  FormValues,
  isBuiltinEntryKey,
  isRequiredNow,
  isShown,
  KpiActual,
  KpiDefinition,
  normaliseFieldValue,
  parseTypedNumber,
  RuleContext,
  ruleContext,
} from '../../libs/domain/src/forms';
import type { EntryRow, Scale } from './types';

/** A field's value as the user has it in the form: text as typed, a list of choices, yes/no. */
export type RawValue = string | string[] | boolean | null;

export interface FormState {
  rating: string | null;
  fields: Record<string, RawValue>;
  /** KPI actuals as typed, by KPI id. */
  kpis: Record<number, string>;
}

export const entryFieldsOf = (fields: readonly FormField[]) => fields.filter((f) => f.scope === 'entry' && f.type !== 'rating' && f.type !== 'kpi_table');

/** A stored value as the form holds it while it is edited. */
export function rawOf(field: FormField, value: unknown): RawValue {
  if (value === null || value === undefined) return field.type === 'multi_choice' ? [] : field.type === 'yes_no' ? null : '';
  if (field.type === 'multi_choice') return Array.isArray(value) ? value.map(String) : [];
  if (field.type === 'yes_no') return value === true;
  return String(value);
}

export function stateOf(entry: EntryRow, fields: readonly FormField[]): FormState {
  const raw: Record<string, RawValue> = {};
  for (const f of entryFieldsOf(fields)) {
    const stored = isBuiltinEntryKey(f.key) ? (entry as unknown as Record<string, unknown>)[f.key] : entry.values?.[f.key];
    raw[f.key] = rawOf(f, stored);
  }
  const kpis: Record<number, string> = {};
  for (const k of entry.kpiActuals ?? []) kpis[k.kpiId] = k.actual === null ? '' : String(k.actual);
  return { rating: entry.rating, fields: raw, kpis };
}

/** A blank text or an empty list, as the API stores it: no value. */
export const blankToNull = (v: RawValue): RawValue => (typeof v === 'string' && v.trim() === '' ? null : Array.isArray(v) && v.length === 0 ? null : v);

/** What is sent to the API: text as typed (the API normalises "１，２００"), blanks as null. */
export function bodyOf(state: FormState, fields: readonly FormField[], kpis: readonly KpiDefinition[], hasKpiTable: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { rating: state.rating };
  const values: Record<string, unknown> = {};
  for (const f of entryFieldsOf(fields)) {
    const v = blankToNull(state.fields[f.key] ?? null);
    if (isBuiltinEntryKey(f.key)) out[f.key] = v;
    else values[f.key] = v;
  }
  if (Object.keys(values).length) out.values = values;
  if (hasKpiTable && kpis.length) {
    out.kpiActuals = kpis.map<KpiActual>((k) => {
      const raw = (state.kpis[k.id] ?? '').trim();
      return { kpiId: k.id, actual: raw === '' ? null : raw };
    });
  }
  return out;
}

/** The typed state as the rules read it: values normalised the API's way, unparseable ones as none. */
export function valuesOf(state: FormState, fields: readonly FormField[], kpis: readonly KpiDefinition[]): FormValues {
  const out: FormValues = { rating: state.rating, values: {} };
  for (const f of entryFieldsOf(fields)) {
    const result = normaliseFieldValue(f, blankToNull(state.fields[f.key] ?? null));
    const v = 'value' in result ? result.value : null;
    if (isBuiltinEntryKey(f.key)) (out as Record<string, unknown>)[f.key] = v;
    else out.values![f.key] = v;
  }
  out.kpiActuals = kpis.map((k) => ({ kpiId: k.id, actual: kpiActualOf(k, state.kpis[k.id] ?? '') }));
  return out;
}

/** A typed KPI actual: a number (as the API parses it) or a milestone's wording; null when blank or unreadable. */
export function kpiActualOf(kpi: Pick<KpiDefinition, 'kind'>, raw: string): number | string | null {
  const s = raw.trim();
  if (s === '') return null;
  if (kpi.kind === 'milestone') return s;
  const n = parseTypedNumber(s);
  return Number.isFinite(n) ? n : null;
}

export interface FieldView {
  shown: boolean;
  required: boolean;
}

/** For each field: whether it is shown and required now, from the same rules the API applies. */
export function fieldViews(
  fields: readonly FormField[],
  scale: Scale,
  values: FormValues,
  ctx: FormContext,
): { context: RuleContext; views: Record<string, FieldView> } {
  const context = ruleContext(fields, scale, values, ctx);
  const views: Record<string, FieldView> = {};
  for (const f of fields) views[f.key] = { shown: isShown(f, context), required: f.type === 'rating' || isRequiredNow(f, context) };
  return { context, views };
}

/** A field's stored value in an entry row, wherever the entry keeps it. */
export function storedValue(entry: EntryRow, key: string): unknown {
  return isBuiltinEntryKey(key) ? (entry as unknown as Record<string, unknown>)[key] : entry.values?.[key];
}

/** Stored KPI actuals as the KPI table shows them. */
export function kpiRawOf(entry: EntryRow): Record<number, string> {
  return Object.fromEntries((entry.kpiActuals ?? []).map((k) => [k.kpiId, k.actual === null ? '' : String(k.actual)]));
}

/**
 * How the form presents a field now. A field whose required rule is conditional is marked with
 * why (`highlighted`); without a display rule of its own it waits until it is needed or has a
 * value (`waiting`: the reason appears for △, the analysis when a KPI misses its target).
 */
export function fieldPresence(field: FormField, view: FieldView, raw: RawValue, flagged = false): { waiting: boolean; highlighted: boolean } {
  const conditional = typeof field.required === 'object' && field.required !== null;
  const filled = blankToNull(raw) !== null;
  const waiting = conditional && field.visible === undefined && !view.required && !filled && !flagged;
  return { waiting, highlighted: conditional && view.required };
}
