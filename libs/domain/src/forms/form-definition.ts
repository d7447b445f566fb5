import {
  BUILTIN_KEY_TYPES,
  DEFAULT_TEXT_MAX_LENGTH,
  FIELD_KEY_PATTERN,
  FIELD_SCOPES,
  FIELD_TYPES,
  FieldScope,
  FORM_SCOPES,
  FormField,
  isBuiltinEntryKey,
  MAX_FIELD_OPTIONS,
  MAX_FORM_FIELDS,
} from './form-field';
import { REASON_NEEDED_RULE, Rule, validateRule } from './form-rule';

/**
 * The first version's field rule, still accepted by the API and found in cycles opened
 * before forms were configurable: `required` was one of three words.
 */
export interface LegacyFieldRule {
  key: string;
  label: string;
  required: 'always' | 'never' | 'when_reason_needed';
  maxLength?: number;
}

const LEGACY_REQUIRED: Record<LegacyFieldRule['required'], Rule> = {
  always: true,
  never: false,
  when_reason_needed: REASON_NEEDED_RULE,
};

/** A field as given (new or legacy shape) completed with its defaults; unknown shapes pass through for validation to name. */
export function normaliseField(raw: Partial<FormField> & { required?: unknown }): FormField {
  const key = String(raw.key ?? '');
  const type = raw.type ?? (isBuiltinEntryKey(key) ? BUILTIN_KEY_TYPES[key] : 'long_text');
  const required =
    typeof raw.required === 'string' && raw.required in LEGACY_REQUIRED
      ? LEGACY_REQUIRED[raw.required as LegacyFieldRule['required']]
      : (raw.required as Rule | undefined);
  const field: FormField = { ...raw, key, label: raw.label ?? '', type, scope: raw.scope ?? 'entry' } as FormField;
  if (required === undefined || required === false) delete field.required;
  else field.required = required;
  if (field.visible === true || field.visible === undefined) delete field.visible;
  if ((type === 'long_text' || type === 'short_text') && field.maxLength === undefined) {
    field.maxLength = type === 'short_text' ? 200 : DEFAULT_TEXT_MAX_LENGTH;
  }
  return field;
}

export function normaliseForm(fields: readonly unknown[] | null | undefined): FormField[] {
  return (fields ?? []).map((f) => normaliseField((f ?? {}) as Partial<FormField>));
}

/** The six fields every template had before forms were configurable, in their order. */
export const DEFAULT_FORM: FormField[] = normaliseForm([
  { key: 'progress', label: '進捗状況', required: 'always' },
  { key: 'fiscalGoal', label: '年度目標', required: 'never' },
  { key: 'shortTermPlan', label: '計画(短期目標)', required: 'never' },
  { key: 'kpiActuals', label: '指標実績', required: 'never' },
  { key: 'reason', label: '理由', required: 'when_reason_needed' },
  { key: 'nextSteps', label: '今後の取組', required: 'never' },
]);

/**
 * Problems of a template's form, in Japanese, each naming the field: keys, types, scopes,
 * options, limits and rules. `itemKeys` are the plan's item attributes a rule may read;
 * `scopes` the scopes this kind of form may hold (item attributes belong to the plan).
 */
export function validateFormDefinition(
  fields: readonly FormField[],
  itemKeys: ReadonlySet<string> = new Set(),
  scopes: readonly FieldScope[] = FORM_SCOPES,
): string[] {
  const errors: string[] = [];
  if (!Array.isArray(fields)) return ['項目の一覧(fields)は配列で指定してください'];
  if (fields.length > MAX_FORM_FIELDS) errors.push(`項目は${MAX_FORM_FIELDS}個までです`);
  const keys = new Set(fields.map((f) => f.key));
  const seen = new Set<string>();
  let ratings = 0;
  let kpiTables = 0;
  for (const f of fields) {
    const at = `項目「${f.label || f.key}」`;
    if (typeof f.key !== 'string' || !FIELD_KEY_PATTERN.test(f.key)) {
      errors.push(`${at}のキー「${String(f.key)}」は半角英字で始まる英数字・_(40文字以内)にしてください`);
    }
    if (seen.has(f.key)) errors.push(`項目「${f.key}」が重複しています`);
    seen.add(f.key);
    if (typeof f.label !== 'string' || !f.label.trim()) errors.push(`項目「${f.key}」の表示名を入力してください`);
    else if (f.label.length > 100) errors.push(`${at}の表示名は100文字以内にしてください`);
    if (f.help !== undefined && (typeof f.help !== 'string' || f.help.length > 500)) errors.push(`${at}の説明は500文字以内の文字列にしてください`);
    if (!(FIELD_TYPES as readonly string[]).includes(f.type)) {
      errors.push(`${at}の種類「${String(f.type)}」は使用できません`);
      continue;
    }
    if (!(FIELD_SCOPES as readonly string[]).includes(f.scope) || !scopes.includes(f.scope)) {
      errors.push(`${at}の入力単位「${String(f.scope)}」はこの様式では使用できません`);
    }
    const key: string = f.key;
    if (isBuiltinEntryKey(key) && f.type !== BUILTIN_KEY_TYPES[key]) {
      errors.push(`${at}のキー「${key}」は種類「${BUILTIN_KEY_TYPES[key]}」専用です`);
    }
    if ((f.type === 'rating' || f.type === 'kpi_table') && !isBuiltinEntryKey(f.key)) {
      errors.push(`${at}: 種類「${f.type}」のキーは「${f.type === 'rating' ? 'rating' : 'kpiActuals'}」にしてください`);
    }
    if ((f.type === 'rating' || f.type === 'kpi_table') && f.scope !== 'entry') errors.push(`${at}は項目ごと(entry)の入力単位にしてください`);
    if (isBuiltinEntryKey(f.key) && f.scope !== 'entry') errors.push(`${at}のキー「${f.key}」は項目ごと(entry)の入力単位専用です`);
    if (f.type === 'rating') ratings++;
    if (f.type === 'kpi_table') kpiTables++;
    if (f.type === 'single_choice' || f.type === 'multi_choice') {
      const options = Array.isArray(f.options) ? f.options : [];
      if (options.length === 0) errors.push(`${at}の選択肢を1つ以上指定してください`);
      if (options.length > MAX_FIELD_OPTIONS) errors.push(`${at}の選択肢は${MAX_FIELD_OPTIONS}個までです`);
      const values = new Set<string>();
      for (const o of options) {
        if (typeof o?.value !== 'string' || !o.value.trim()) errors.push(`${at}の選択肢に値が空のものがあります`);
        else if (values.has(o.value)) errors.push(`${at}の選択肢「${o.value}」が重複しています`);
        else values.add(o.value);
        if (typeof o?.label !== 'string' || !o.label.trim()) errors.push(`${at}の選択肢「${String(o?.value)}」の表示名を入力してください`);
      }
      if (f.maxSelections !== undefined && (!Number.isInteger(f.maxSelections) || f.maxSelections < 1)) {
        errors.push(`${at}の選択できる数は1以上の整数にしてください`);
      }
    } else if (f.options !== undefined && f.options.length) {
      errors.push(`${at}: 選択肢は単一選択・複数選択の項目だけに指定できます`);
    }
    if (f.maxLength !== undefined && (!Number.isInteger(f.maxLength) || f.maxLength < 1 || f.maxLength > 20000)) {
      errors.push(`項目「${f.key}」の最大文字数は1以上20000以下の整数にしてください`);
    }
    if (f.decimals !== undefined && (!Number.isInteger(f.decimals) || f.decimals < 0 || f.decimals > 6)) {
      errors.push(`${at}の小数桁数は0～6の整数にしてください`);
    }
    for (const bound of ['min', 'max'] as const) {
      if (f[bound] !== undefined && (typeof f[bound] !== 'number' || !Number.isFinite(f[bound])))
        errors.push(`${at}の${bound === 'min' ? '最小値' : '最大値'}は数値にしてください`);
    }
    if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max) errors.push(`${at}の最小値が最大値を超えています`);
    if (f.perYear && f.scope !== 'item') errors.push(`${at}: 年度ごとの値は項目の属性だけに指定できます`);
    if (f.required !== undefined) errors.push(...validateRule(f.required, keys, itemKeys, `${at}の必須条件`));
    if (f.visible !== undefined) errors.push(...validateRule(f.visible, keys, itemKeys, `${at}の表示条件`));
  }
  if (ratings > 1) errors.push('評価の項目は1つまでです');
  if (kpiTables > 1) errors.push('指標(KPI)表の項目は1つまでです');
  return errors;
}

/** Problems of a plan's item attributes: the same checks, item scope only, no rules. */
export function validateItemFields(fields: readonly FormField[]): string[] {
  const errors = validateFormDefinition(fields, new Set(), ['item']);
  for (const f of fields) {
    if (f.type === 'rating' || f.type === 'kpi_table') errors.push(`項目の属性「${f.label}」に種類「${f.type}」は使用できません`);
    if (isBuiltinEntryKey(f.key)) errors.push(`項目の属性のキー「${f.key}」は予約されています`);
    if (f.required !== undefined || f.visible !== undefined) errors.push(`項目の属性「${f.label}」に条件は指定できません`);
  }
  return errors;
}
