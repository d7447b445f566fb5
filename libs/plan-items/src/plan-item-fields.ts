import { DomainError } from '@app/common';
import { FormField, normaliseForm, validateItemFields } from '@app/domain';
import { isImportHeader, normaliseHeader } from './import/item-import.columns';

/**
 * A plan's item attributes as given to the api, normalised (scope 'item' by default, text
 * limits filled in), or 422 naming what is wrong. Labels are also the import's column headers,
 * so they must differ from each other and from the import's own columns (番号, 所管課, 指標1…).
 */
export function checkItemFields(raw: unknown[]): FormField[] {
  const errors: string[] = [];
  raw.forEach((f, i) => {
    if (typeof f !== 'object' || f === null || Array.isArray(f))
      errors.push(`属性${i + 1}つ目はオブジェクト({"key": …, "label": …, "type": …})で指定してください`);
  });
  if (errors.length) throw invalidFields(errors);
  const fields = normaliseForm(raw.map((f) => ({ scope: 'item', ...(f as object) })));
  errors.push(...validateItemFields(fields));
  for (const f of fields) {
    const at = `属性「${typeof f.label === 'string' && f.label ? f.label : String(f.key)}」`;
    const unknown = Object.keys(f).filter((k) => !FIELD_PROPERTIES.has(k));
    if (unknown.length) errors.push(`${at}に指定できない項目「${unknown.join('」「')}」があります`);
    if (f.unit !== undefined && (typeof f.unit !== 'string' || [...f.unit].length > 20)) errors.push(`${at}の単位は20文字以内の文字列にしてください`);
    if (f.perYear !== undefined && typeof f.perYear !== 'boolean') errors.push(`${at}の年度ごとの指定は true か false にしてください`);
    if (Array.isArray(f.options)) f.options = f.options.map((o) => ({ value: o?.value, label: o?.label }));
  }
  const labels = new Map<string, string>();
  for (const f of fields) {
    if (typeof f.label !== 'string' || !f.label.trim()) continue;
    const header = normaliseHeader(f.label);
    if (labels.has(header)) errors.push(`属性の表示名「${f.label}」が重複しています(取り込みの列名になるため、表示名は属性ごとに変えてください)`);
    labels.set(header, f.key);
    if (isImportHeader(f.label)) errors.push(`属性の表示名「${f.label}」は取り込みの列名(番号・名称・所管課・指標など)と重なるため使えません`);
  }
  if (errors.length) throw invalidFields(errors);
  return fields;
}

/** What a FormField may hold (required/visible are refused by validateItemFields). */
const FIELD_PROPERTIES = new Set([
  'key',
  'label',
  'help',
  'type',
  'scope',
  'options',
  'maxSelections',
  'maxLength',
  'unit',
  'decimals',
  'min',
  'max',
  'perYear',
  'required',
  'visible',
]);

export function invalidFields(messages: string[]): DomainError {
  return new DomainError('invalid', messages.join(' / '), { field: 'itemFields', errors: messages.map((message) => ({ field: 'itemFields', message })) });
}
