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
    if (typeof f !== 'object' || f === null || Array.isArray(f)) errors.push(`属性${i + 1}つ目はオブジェクト({"key": …, "label": …, "type": …})で指定してください`);
  });
  if (errors.length) throw invalidFields(errors);
  const fields = normaliseForm(raw.map((f) => ({ scope: 'item', ...(f as object) })));
  errors.push(...validateItemFields(fields));
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

export function invalidFields(messages: string[]): DomainError {
  return new DomainError('invalid', messages.join(' / '), { field: 'itemFields', errors: messages.map((message) => ({ field: 'itemFields', message })) });
}
