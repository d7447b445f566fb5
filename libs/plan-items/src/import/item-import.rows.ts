import type { ItemFields } from '../items.service';
/**
 * The item import's pure part: header mapping and per-row validation. Rows are numbered as
 * in the spreadsheet (the header is row 1), so users can find them.
 */

export type ImportField =
  | 'number'
  | 'subNumber'
  | 'chapter'
  | 'category'
  | 'title'
  | 'content'
  | 'targetDateText'
  | 'sections'
  | 'kpiName'
  | 'kpiUnit';

/** Japanese header first: it is what the template prints and what errors name. */
export const IMPORT_COLUMNS: { field: ImportField; ja: string; en: string[]; required: boolean }[] = [
  { field: 'number', ja: '番号', en: ['number', 'no', 'no.'], required: true },
  { field: 'subNumber', ja: '枝番', en: ['subnumber', 'sub_number', 'sub number'], required: false },
  { field: 'chapter', ja: '章', en: ['chapter'], required: false },
  { field: 'category', ja: '分類', en: ['category'], required: false },
  { field: 'title', ja: '名称', en: ['title', 'name'], required: true },
  { field: 'content', ja: '内容', en: ['content'], required: false },
  { field: 'targetDateText', ja: '目標期日', en: ['targetdatetext', 'target_date_text', 'targetdate', 'target date'], required: false },
  { field: 'sections', ja: '所管課', en: ['sections', 'section', 'sectionnames'], required: true },
  { field: 'kpiName', ja: '指標', en: ['kpi', 'kpiname', 'kpi_name'], required: false },
  { field: 'kpiUnit', ja: '単位', en: ['unit', 'kpiunit', 'kpi_unit'], required: false },
];

const JA_ALIASES: Record<string, ImportField> = { 'no.': 'number', 'no': 'number', 所管課等: 'sections', 公約: 'title', 実施内容: 'content' };

export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}

export interface ImportRow extends Pick<ItemFields, 'number' | 'subNumber' | 'chapter' | 'category' | 'title' | 'content' | 'targetDateText'> {
  row: number;
  sectionIds: number[];
  kpi: { name: string; unit: string } | null;
}

export interface SectionLookup {
  /** Section id by current name or code (active sections only). */
  byKey: Map<string, number>;
}

const LIMITS: Partial<Record<ImportField, number>> = {
  subNumber: 20,
  chapter: 200,
  category: 200,
  title: 500,
  content: 20000,
  targetDateText: 200,
  kpiName: 200,
  kpiUnit: 50,
};

function labelOf(field: ImportField): string {
  return IMPORT_COLUMNS.find((c) => c.field === field)!.ja;
}

function normaliseHeader(text: string): string {
  return text.replace(/^\uFEFF/u, '').replace(/[\s\u3000]+/gu, '').toLowerCase();
}

/** Maps header cells to fields; unknown headers are ignored, missing required ones reported. */
export function mapHeader(header: string[]): { columns: Map<ImportField, number>; errors: ImportRowError[] } {
  const columns = new Map<ImportField, number>();
  header.forEach((cell, index) => {
    const key = normaliseHeader(cell ?? '');
    const col = IMPORT_COLUMNS.find((c) => c.ja === key || c.en.includes(key));
    const field = col?.field ?? JA_ALIASES[key];
    if (field && !columns.has(field)) columns.set(field, index);
  });
  const errors = IMPORT_COLUMNS.filter((c) => c.required && !columns.has(c.field)).map((c) => ({
    row: 1,
    field: c.ja,
    message: `列「${c.ja}」がありません`,
  }));
  return { columns, errors };
}

/** '学校教育課・教育総務課', 'a、b', 'a,b' or one per line. */
export function splitSectionCell(text: string): string[] {
  return text
    .split(/[・、,，\r\n]+/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Validates every row; returns all errors, not just the first. */
export function validateRows(
  table: string[][],
  lookup: SectionLookup,
): { rows: ImportRow[]; errors: ImportRowError[] } {
  const { columns, errors } = mapHeader(table[0] ?? []);
  if (errors.length) return { rows: [], errors };
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  table.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const get = (field: ImportField) => {
      const index = columns.get(field);
      return index === undefined ? '' : String(cells[index] ?? '').trim();
    };
    if (IMPORT_COLUMNS.every((c) => get(c.field) === '')) return; // blank line
    const rowErrors: ImportRowError[] = [];
    const fail = (field: ImportField, message: string) => rowErrors.push({ row, field: labelOf(field), message });

    const numberText = get('number').normalize('NFKC');
    const number = Number(numberText);
    if (!numberText) fail('number', '番号は必須です');
    else if (!/^\d+$/u.test(numberText) || number < 1 || number > 1_000_000) fail('number', `番号「${numberText}」は1以上の整数で入力してください`);
    const title = get('title');
    if (!title) fail('title', '名称は必須です');
    for (const [field, max] of Object.entries(LIMITS) as [ImportField, number][]) {
      if (get(field).length > max) fail(field, `${max}文字以内で入力してください`);
    }
    const sectionNames = splitSectionCell(get('sections'));
    if (sectionNames.length === 0) fail('sections', '所管課は必須です');
    const sectionIds: number[] = [];
    for (const name of sectionNames) {
      const id = lookup.byKey.get(name);
      if (id === undefined) fail('sections', `課「${name}」が見つかりません`);
      else if (!sectionIds.includes(id)) sectionIds.push(id);
    }
    if (get('kpiUnit') && !get('kpiName')) fail('kpiUnit', '単位を入力する場合は指標も入力してください');
    const subNumber = get('subNumber');
    const key = `${number}\u0000${subNumber}`;
    if (!rowErrors.some((e) => e.field === '番号')) {
      const previous = seen.get(key);
      if (previous) fail('number', `番号 ${number}${subNumber ? `-${subNumber}` : ''} は ${previous} 行目と重複しています`);
      else seen.set(key, row);
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      return;
    }
    rows.push({
      row,
      number,
      subNumber,
      chapter: get('chapter') || null,
      category: get('category') || null,
      title,
      content: get('content') || null,
      targetDateText: get('targetDateText') || null,
      sectionIds,
      kpi: get('kpiName') ? { name: get('kpiName'), unit: get('kpiUnit') } : null,
    });
  });
  return { rows, errors };
}

/** The template users download: a BOM so Excel opens it as UTF-8, the header and one example. */
export function importTemplateCsv(): string {
  const header = IMPORT_COLUMNS.map((c) => c.ja);
  const example = ['1', '', '第1章 子育て', '子育て', '18歳までの医療費完全無料化', '子どもの医療費を助成する', 'R6.10', 'こども支援課・保育幼稚園課', '助成対象年齢', '歳'];
  return '\uFEFF' + [header, example].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  return /[",\r\n]/u.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
