import { eraYearLabel, FormField } from '@app/domain';
import { isFiscalYearKey } from '../item-attributes';

/**
 * The import's header row: the item's own columns, any number of KPIs (指標, 指標2, … each with
 * 単位, 種類, 方向 and 目標(令和6年度) columns) and the plan's item attributes by their label
 * (per-year ones as 予算額(令和6年度) or 予算額(2024)). Headers are compared after NFKC (full-width
 * letters, digits and brackets), without spaces and case-insensitively. Unknown headers are
 * ignored, and reported so a misspelt attribute column does not go unnoticed.
 */

export type ImportField = 'number' | 'subNumber' | 'chapter' | 'category' | 'title' | 'content' | 'targetDateText' | 'sections' | 'evaluator' | 'budget';

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
  { field: 'evaluator', ja: '評価者', en: ['evaluator', 'evaluatorlogin', 'evaluator_login'], required: false },
  { field: 'budget', ja: '予算額(千円)', en: ['budgetthousandyen', 'budget_thousand_yen'], required: false },
];

const JA_ALIASES: Record<string, ImportField> = {
  'no.': 'number',
  no: 'number',
  所管課等: 'sections',
  公約: 'title',
  実施内容: 'content',
  '評価者(ログインid)': 'evaluator',
  評価者ログインid: 'evaluator',
};

export type KpiPart = 'name' | 'unit' | 'kind' | 'direction';

export interface KpiColumns {
  name?: number;
  unit?: number;
  kind?: number;
  direction?: number;
  /** Fiscal year → column index. */
  targets: Map<string, number>;
}

export interface AttributeColumns {
  field: FormField;
  /** A plain attribute's column. */
  index?: number;
  /** A per-year attribute's columns: fiscal year → column index. */
  years: Map<string, number>;
}

export interface ColumnMap {
  fixed: Map<ImportField, number>;
  /** KPI number (1, 2, …) → its columns, in KPI order. */
  kpis: Map<number, KpiColumns>;
  attributes: AttributeColumns[];
  /** The header as written, to name columns in errors. */
  headers: string[];
  ignored: string[];
}

export interface ImportRowError {
  row: number;
  field: string;
  message: string;
}

export const MAX_IMPORT_KPIS = 20;

export function normaliseHeader(text: string): string {
  return text
    .replace(/^\uFEFF/u, '')
    .normalize('NFKC')
    .replace(/[\s\u3000]+/gu, '')
    .toLowerCase();
}

const KPI = '(?:指標|kpi)(\\d{1,2})?(?:の|_)?';
const KPI_PATTERNS: [KpiPart, RegExp][] = [
  ['name', new RegExp(`^${KPI}(?:名|名称|name)?$`, 'u')],
  ['unit', new RegExp(`^${KPI}(?:単位|unit)$`, 'u')],
  ['kind', new RegExp(`^${KPI}(?:種類|種別|kind)$`, 'u')],
  ['direction', new RegExp(`^${KPI}(?:方向|評価の方向|direction)$`, 'u')],
];
const KPI_TARGET = new RegExp(`^${KPI}(?:目標値?|target)(?:[(_]?(.+?)\\)?)?$`, 'u');

/** '2024', '2024年度', '令和6年度', 'R6', '令和元年度', '平成30年度', 'H30' → the fiscal year (or null). */
export function parseFiscalYearLabel(text: string): number | null {
  const t = text.normalize('NFKC').replace(/\s/gu, '').toLowerCase().replace(/^fy/u, '').replace(/年度$/u, '');
  if (/^\d{4}$/u.test(t)) return isFiscalYearKey(t) ? Number(t) : null;
  const m = /^(令和|平成|r|h)(元|\d{1,2})年?$/u.exec(t);
  if (!m) return null;
  const year = (m[1] === '令和' || m[1] === 'r' ? 2018 : 1988) + (m[2] === '元' ? 1 : Number(m[2]));
  return isFiscalYearKey(String(year)) ? year : null;
}

function fixedField(key: string): ImportField | undefined {
  return IMPORT_COLUMNS.find((c) => normaliseHeader(c.ja) === key || c.en.includes(key))?.field ?? JA_ALIASES[key];
}

/** What a header names: a fixed column, a KPI column (target years parsed), or nothing. */
function kpiColumn(key: string): { n: number; part: KpiPart | 'target'; year?: number | null } | undefined {
  if (key === '単位' || key === 'unit') return { n: 1, part: 'unit' };
  for (const [part, pattern] of KPI_PATTERNS) {
    const m = pattern.exec(key);
    if (m) return { n: Number(m[1] ?? 1), part };
  }
  const t = KPI_TARGET.exec(key);
  if (t) return { n: Number(t[1] ?? 1), part: 'target', year: t[2] ? parseFiscalYearLabel(t[2]) : null };
  return undefined;
}

/** A header the import reads as one of its own columns; attribute labels may not be one. */
export function isImportHeader(label: string): boolean {
  const key = normaliseHeader(label);
  return fixedField(key) !== undefined || kpiColumn(key) !== undefined;
}

/** Maps header cells to columns; missing required columns and unreadable ones are row-1 errors. */
export function mapHeader(header: string[], fields: readonly FormField[] = []): { columns: ColumnMap; errors: ImportRowError[] } {
  const columns: ColumnMap = { fixed: new Map(), kpis: new Map(), attributes: [], headers: header.map((h) => String(h ?? '').trim()), ignored: [] };
  const errors: ImportRowError[] = [];
  const fail = (index: number, message: string) => errors.push({ row: 1, field: columns.headers[index], message });
  const attributes = new Map(fields.map((f) => [f.key, { field: f, years: new Map<string, number>() } as AttributeColumns]));
  header.forEach((cell, index) => {
    const key = normaliseHeader(String(cell ?? ''));
    if (!key) return;
    const fixed = fixedField(key);
    if (fixed) {
      if (columns.fixed.has(fixed)) fail(index, `列「${columns.headers[index]}」が重複しています`);
      else columns.fixed.set(fixed, index);
      return;
    }
    const kpi = kpiColumn(key);
    if (kpi) {
      if (kpi.n < 1 || kpi.n > MAX_IMPORT_KPIS) return fail(index, `指標は${MAX_IMPORT_KPIS}個までです`);
      const group = columns.kpis.get(kpi.n) ?? { targets: new Map<string, number>() };
      columns.kpis.set(kpi.n, group);
      if (kpi.part !== 'target') {
        if (group[kpi.part] !== undefined) fail(index, `列「${columns.headers[index]}」が重複しています`);
        else group[kpi.part] = index;
      } else if (!kpi.year) {
        fail(index, `列「${columns.headers[index]}」の年度を読み取れません(例: 指標1目標(令和6年度)、指標1目標(2024))`);
      } else if (group.targets.has(String(kpi.year))) {
        fail(index, `列「${columns.headers[index]}」が重複しています(${eraYearLabel(kpi.year)})`);
      } else {
        group.targets.set(String(kpi.year), index);
      }
      return;
    }
    const attribute = attributeColumn(key, fields);
    if (attribute) {
      const group = attributes.get(attribute.field.key)!;
      if (attribute.field.perYear && attribute.year === undefined) {
        fail(index, `「${attribute.field.label}」は年度ごとの属性です。列名に年度を付けてください(例: ${attribute.field.label}(令和6年度))`);
      } else if (attribute.year === null) {
        fail(index, `列「${columns.headers[index]}」の年度を読み取れません(例: ${attribute.field.label}(令和6年度)、${attribute.field.label}(2024))`);
      } else if (attribute.year !== undefined) {
        if (group.years.has(String(attribute.year))) fail(index, `列「${columns.headers[index]}」が重複しています`);
        else group.years.set(String(attribute.year), index);
      } else if (group.index !== undefined) {
        fail(index, `列「${columns.headers[index]}」が重複しています`);
      } else {
        group.index = index;
      }
      return;
    }
    columns.ignored.push(columns.headers[index]);
  });
  for (const c of IMPORT_COLUMNS) {
    if (c.required && !columns.fixed.has(c.field)) errors.push({ row: 1, field: c.ja, message: `列「${c.ja}」がありません` });
  }
  columns.kpis = new Map([...columns.kpis.entries()].sort(([a], [b]) => a - b));
  columns.attributes = [...attributes.values()].filter((a) => a.index !== undefined || a.years.size > 0);
  return { columns, errors };
}

/** 予算額 / 予算額(令和6年度) / 予算額(2024) for the attribute labelled 予算額; year null when unreadable. */
function attributeColumn(key: string, fields: readonly FormField[]): { field: FormField; year?: number | null } | undefined {
  for (const field of fields) {
    const label = normaliseHeader(field.label);
    if (key === label) return { field };
    if (field.perYear && key.startsWith(`${label}(`) && key.endsWith(')')) {
      return { field, year: parseFiscalYearLabel(key.slice(label.length + 1, -1)) };
    }
  }
  return undefined;
}
