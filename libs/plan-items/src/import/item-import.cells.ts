import { FieldOption, FormField, KPI_DIRECTION_LABELS, KPI_KIND_LABELS, KpiDirection, KpiKind } from '@app/domain';

/**
 * Spreadsheet cells as the api's values: choices by their value or their label, several at
 * once separated by ・、, or lines, はい/いいえ (○/×), dates as 2024/4/1 or 2024年4月1日. What
 * cannot be read is passed on as written, so the field's own check names the problem.
 */

const squash = (s: string) => s.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();

/** '学校教育課・教育総務課', 'a、b', 'a,b' or one per line. */
export function splitListCell(text: string): string[] {
  return text
    .split(/[・、,，\r\n]+/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The option a cell names, by its value, else by its label (NFKC, spaces and case ignored); the
 * text itself when none. Values first: they are unique, so every option can be named even when
 * one's label is another's value.
 */
export function optionValue(options: readonly FieldOption[] | undefined, text: string): string {
  const t = squash(text);
  const list = options ?? [];
  return (list.find((o) => squash(o.value) === t) ?? list.find((o) => squash(o.label) === t))?.value ?? text;
}

const YES = new Set(['はい', '○', '〇', '有', 'あり', 'yes', 'y', 'true', '1']);
const NO = new Set(['いいえ', '×', '無', 'なし', 'no', 'n', 'false', '0']);

function dateOf(text: string): string {
  const m = /^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$/u.exec(text.normalize('NFKC').trim());
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : text;
}

/** A cell's text as the raw value normaliseFieldValue takes for the field; '' is null. */
export function cellValue(field: FormField, text: string): unknown {
  if (text === '') return null;
  switch (field.type) {
    case 'single_choice':
      return optionValue(field.options, text);
    case 'multi_choice':
      return splitListCell(text).map((t) => optionValue(field.options, t));
    case 'yes_no': {
      const t = squash(text);
      return YES.has(t) ? true : NO.has(t) ? false : text;
    }
    case 'date':
      return dateOf(text);
    default:
      return text;
  }
}

/** '数値' / '達成目標(文言)' / 'numeric' / 'milestone' (and 文言, 達成目標); undefined for blank, null when unknown. */
export function kpiKindOf(text: string): KpiKind | undefined | null {
  if (!text) return undefined;
  const t = squash(text);
  for (const [kind, label] of Object.entries(KPI_KIND_LABELS) as [KpiKind, string][]) if (t === kind || t === squash(label)) return kind;
  if (t === '文言' || t === '達成目標' || t === 'マイルストーン') return 'milestone';
  return null;
}

/** '高いほど良い' / '低いほど良い' / 'higher' / 'lower' (and 高, 低, 上, 下); undefined for blank, null when unknown. */
export function kpiDirectionOf(text: string): KpiDirection | undefined | null {
  if (!text) return undefined;
  const t = squash(text);
  for (const [direction, label] of Object.entries(KPI_DIRECTION_LABELS) as [KpiDirection, string][])
    if (t === direction || t === squash(label)) return direction;
  if (['高', '上', '大', '高い'].includes(t)) return 'higher';
  if (['低', '下', '小', '低い'].includes(t)) return 'lower';
  return null;
}
