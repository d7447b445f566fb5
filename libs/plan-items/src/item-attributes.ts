import { eraYearLabel, FormField, normaliseFieldValue } from '@app/domain';
import type { FieldError } from '@app/domain';

/**
 * An item's attributes (plan_items.attributes) against its plan's definitions (plans.item_fields):
 * key → value, or for a per-year field key → {"2024": value, ...}. Pure, shared by the CRUD api
 * and the importer.
 *
 * Values of keys the plan no longer defines are kept as stored (never deleted by a change of
 * definition or of the item) and reported apart as `retiredAttributes`; defining the key again
 * brings them back, after they are checked against the new definition.
 */

/** A problem naming its field: the domain's FieldError, as the entry validation reports it. */
export type FieldProblem = FieldError;

export const MIN_FISCAL_YEAR = 1989;
export const MAX_FISCAL_YEAR = 2200;

/** '2024': a fiscal year as the keys of per-year values and KPI targets are written. */
export function isFiscalYearKey(key: string): boolean {
  if (!/^\d{4}$/.test(key)) return false;
  const year = Number(key);
  return year >= MIN_FISCAL_YEAR && year <= MAX_FISCAL_YEAR;
}

export const FISCAL_YEAR_KEY_MESSAGE = `年度は西暦4桁(${MIN_FISCAL_YEAR}～${MAX_FISCAL_YEAR}、例: 2024)で指定してください`;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The stored attributes split into the plan's defined keys (in definition order) and the rest. */
export function splitAttributes(
  fields: readonly FormField[],
  stored: Record<string, unknown> | null | undefined,
): { attributes: Record<string, unknown>; retiredAttributes: Record<string, unknown> } {
  const values = stored ?? {};
  const defined = new Set(fields.map((f) => f.key));
  const attributes: Record<string, unknown> = {};
  for (const f of fields) if (f.key in values) attributes[f.key] = values[f.key];
  const retiredAttributes = Object.fromEntries(Object.entries(values).filter(([k]) => !defined.has(k)));
  return { attributes, retiredAttributes };
}

/** One value normalised for its field; for a per-year field, an object of fiscal year → value. */
export function normaliseAttribute(field: FormField, raw: unknown, at: string): { value: unknown; errors: FieldProblem[] } {
  if (!field.perYear) {
    const result = normaliseFieldValue(field, raw);
    return 'message' in result ? { value: undefined, errors: [{ field: at, message: result.message }] } : { value: result.value, errors: [] };
  }
  if (raw === null || raw === undefined) return { value: null, errors: [] };
  if (!isPlainObject(raw)) {
    return { value: undefined, errors: [{ field: at, message: `${field.label}(${field.key})は年度ごとの値({"2024": 値})で指定してください` }] };
  }
  const errors: FieldProblem[] = [];
  const years: Record<string, unknown> = {};
  for (const year of Object.keys(raw).sort()) {
    if (!isFiscalYearKey(year)) {
      errors.push({ field: `${at}.${year}`, message: `${field.label}(${field.key})の「${year}」: ${FISCAL_YEAR_KEY_MESSAGE}` });
      continue;
    }
    const result = normaliseFieldValue(field, raw[year]);
    if ('message' in result) errors.push({ field: `${at}.${year}`, message: `${eraYearLabel(Number(year))}の${result.message}` });
    else if (result.value !== null) years[year] = result.value;
  }
  return { value: Object.keys(years).length ? years : null, errors };
}

/**
 * The attributes after a change. `changes` names defined keys only (an unknown key is an error);
 * null clears a key, keys left out keep their values. A per-year key's object replaces the
 * stored years, or with `mergeYears` (the importer: a file carries some years) is laid over them.
 */
export function applyAttributeChanges(
  fields: readonly FormField[],
  stored: Record<string, unknown> | null | undefined,
  changes: unknown,
  options: { mergeYears?: boolean; fieldPrefix?: string } = {},
): { attributes: Record<string, unknown>; errors: FieldProblem[] } {
  const prefix = options.fieldPrefix ?? 'attributes';
  const attributes: Record<string, unknown> = { ...(stored ?? {}) };
  if (changes === undefined) return { attributes, errors: [] };
  if (!isPlainObject(changes)) {
    return { attributes, errors: [{ field: prefix, message: `${prefix}は属性のキーと値の組({"キー": 値})で指定してください` }] };
  }
  const errors: FieldProblem[] = [];
  for (const [key, raw] of Object.entries(changes)) {
    const field = fields.find((f) => f.key === key);
    if (!field) {
      errors.push({ field: `${prefix}.${key}`, message: `属性「${key}」はこの計画に定義されていません` });
      continue;
    }
    const result = normaliseAttribute(field, raw, `${prefix}.${key}`);
    if (result.errors.length) {
      errors.push(...result.errors);
      continue;
    }
    let value = result.value;
    if (field.perYear && options.mergeYears && isPlainObject(raw)) {
      const kept = isPlainObject(attributes[key]) ? { ...(attributes[key] as Record<string, unknown>) } : {};
      for (const year of Object.keys(raw)) delete kept[year];
      const merged = { ...kept, ...((value as Record<string, unknown> | null) ?? {}) };
      value = Object.keys(merged).length ? Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b))) : null;
    }
    if (value === null) delete attributes[key];
    else attributes[key] = value;
  }
  return { attributes, errors };
}

/** Stored values that a (new) definition would refuse: each defined key's value is checked as if entered now. */
export function storedValueProblems(fields: readonly FormField[], stored: Record<string, unknown> | null | undefined): string[] {
  const problems: string[] = [];
  for (const field of fields) {
    const value = (stored ?? {})[field.key];
    if (value === undefined || value === null) continue;
    if (!field.perYear && isPlainObject(value)) {
      problems.push(`${field.label}(${field.key})には年度ごとの値が保存されています`);
      continue;
    }
    const result = normaliseAttribute(field, value, field.key);
    problems.push(...result.errors.map((e) => e.message));
  }
  return problems;
}
