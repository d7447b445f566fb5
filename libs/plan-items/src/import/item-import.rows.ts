import { restoreNeutralised } from '@app/common';
import { FormField, KpiKind, parseTypedNumber } from '@app/domain';
import { normaliseAttribute } from '../item-attributes';
import { KpiInput, normaliseTargets } from '../item-kpis';
import type { ItemFields } from '../items.service';
import { cellValue, kpiDirectionOf, kpiKindOf, splitListCell } from './item-import.cells';
import { ColumnMap, IMPORT_COLUMNS, ImportField, ImportRowError, mapHeader } from './item-import.columns';

export { IMPORT_COLUMNS, mapHeader } from './item-import.columns';
export type { ImportField, ImportRowError } from './item-import.columns';
export { importTemplateCsv } from './item-import.template';

/**
 * The item import's pure part: per-row validation. Rows are numbered as in the spreadsheet
 * (the header is row 1), so users can find them; each error names the column as written.
 * A column the file has is taken as it is (a blank cell clears the value); a column it lacks
 * leaves the item's value alone (evaluator, budget, attributes, KPI targets of other years).
 */

export interface ImportRow extends Pick<ItemFields, 'number' | 'subNumber' | 'chapter' | 'category' | 'title' | 'content' | 'targetDateText'> {
  row: number;
  sectionIds: number[];
  kpis: KpiInput[];
  /** Present when the file has the column (null: cleared). */
  evaluatorUserId?: number | null;
  budgetThousandYen?: number | null;
  /** The attribute columns' values by key (per-year ones as {"2024": value}), null for blank cells. */
  attributes: Record<string, unknown>;
}

export interface SectionLookup {
  /** Section id by current name or code (active sections only). */
  byKey: Map<string, number>;
  /** Active user id by login. */
  users?: Map<string, number>;
  /** The kind of an existing KPI, by `${number}\u0000${subNumber}\u0000${name}`, for reading its targets. */
  kpiKinds?: Map<string, KpiKind>;
  /** The plan's item attributes. */
  fields?: readonly FormField[];
}

const LIMITS: Partial<Record<ImportField, number>> = { subNumber: 20, chapter: 200, category: 200, title: 500, content: 20000, targetDateText: 200 };
const MAX_BUDGET = 1e13;

export const kpiKindKey = (number: number, subNumber: string, name: string) => `${number}\u0000${subNumber}\u0000${name}`;

/** '学校教育課・教育総務課', 'a、b', 'a,b' or one per line. */
export const splitSectionCell = splitListCell;

/**
 * What a 所管課 cell may name: every active section by its code, and by its current name unless
 * a code or an earlier section already answers to that name. The export names each section so
 * that this map gives it back.
 */
export function sectionKeys(sections: readonly { id: number; code: string; name: string }[]): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const s of sections) byKey.set(s.code, s.id);
  for (const s of sections) if (!byKey.has(s.name)) byKey.set(s.name, s.id);
  return byKey;
}

/** Validates every row; returns all errors, not just the first. */
export function validateRows(written: string[][], lookup: SectionLookup): { rows: ImportRow[]; errors: ImportRowError[]; ignoredColumns: string[] } {
  // The export defuses text starting with = + - @ with an apostrophe; read back, it is the text again.
  const table = written.map((cells) => cells.map((c) => restoreNeutralised(String(c ?? ''))));
  const { columns, errors } = mapHeader(table[0] ?? [], lookup.fields ?? []);
  if (errors.length) return { rows: [], errors, ignoredColumns: columns.ignored };
  const rows: ImportRow[] = [];
  const seen = new Map<string, number>();
  table.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => String(c ?? '').trim() === '')) return; // blank line
    const result = validateRow(row, cells, columns, lookup, seen);
    if (result.errors.length) errors.push(...result.errors);
    else rows.push(result.row!);
  });
  return { rows, errors, ignoredColumns: columns.ignored };
}

function validateRow(
  row: number,
  cells: string[],
  columns: ColumnMap,
  lookup: SectionLookup,
  seen: Map<string, number>,
): { row?: ImportRow; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const cell = (index: number | undefined) => (index === undefined ? '' : String(cells[index] ?? '').trim());
  const get = (field: ImportField) => cell(columns.fixed.get(field));
  const header = (index: number) => columns.headers[index];
  const failAt = (index: number, message: string) => errors.push({ row, field: header(index), message });
  const fail = (field: ImportField, message: string) => errors.push({ row, field: IMPORT_COLUMNS.find((c) => c.field === field)!.ja, message });

  const numberText = get('number').normalize('NFKC');
  const number = Number(numberText);
  if (!numberText) fail('number', '番号は必須です');
  else if (!/^\d+$/u.test(numberText) || number < 1 || number > 1_000_000) fail('number', `番号「${numberText}」は1以上の整数で入力してください`);
  const title = get('title');
  if (!title) fail('title', '名称は必須です');
  for (const [field, max] of Object.entries(LIMITS) as [ImportField, number][]) {
    if ([...get(field)].length > max) fail(field, `${max}文字以内で入力してください`);
  }
  const sectionNames = splitListCell(get('sections'));
  if (sectionNames.length === 0) fail('sections', '所管課は必須です');
  const sectionIds: number[] = [];
  for (const name of sectionNames) {
    const id = lookup.byKey.get(name);
    if (id === undefined) fail('sections', `課「${name}」が見つかりません`);
    else if (!sectionIds.includes(id)) sectionIds.push(id);
  }
  const subNumber = get('subNumber');

  let evaluatorUserId: number | null | undefined;
  if (columns.fixed.has('evaluator')) {
    const login = get('evaluator');
    evaluatorUserId = login ? (lookup.users?.get(login) ?? undefined) : null;
    if (evaluatorUserId === undefined) fail('evaluator', `評価者「${login}」が見つかりません(有効な利用者のログインIDで指定してください)`);
  }
  let budgetThousandYen: number | null | undefined;
  if (columns.fixed.has('budget')) {
    const text = get('budget');
    const n = text ? parseTypedNumber(text) : null;
    if (n !== null && (!Number.isInteger(n) || n < 0 || n > MAX_BUDGET)) fail('budget', `予算額(千円)「${text}」は0以上の整数(千円単位)で入力してください`);
    budgetThousandYen = n;
  }

  const kpis: KpiInput[] = [];
  for (const [n, group] of columns.kpis) {
    const name = cell(group.name);
    const filled = [group.unit, group.kind, group.direction, ...group.targets.values()].find((index) => cell(index) !== '');
    if (!name) {
      const nameHeader = group.name === undefined ? `指標${n === 1 ? '' : n}` : header(group.name);
      if (filled !== undefined) failAt(filled, `${header(filled)}を入力する場合は${nameHeader}も入力してください`);
      continue;
    }
    if ([...name].length > 200) failAt(group.name!, '200文字以内で入力してください');
    if (kpis.some((k) => k.name === name)) failAt(group.name!, `指標「${name}」が重複しています`);
    const unit = cell(group.unit);
    if ([...unit].length > 50) failAt(group.unit!, '50文字以内で入力してください');
    const kind = kpiKindOf(cell(group.kind));
    if (kind === null) failAt(group.kind!, `種類「${cell(group.kind)}」は「数値」か「達成目標(文言)」で入力してください`);
    const direction = kpiDirectionOf(cell(group.direction));
    if (direction === null) failAt(group.direction!, `方向「${cell(group.direction)}」は「高いほど良い」か「低いほど良い」で入力してください`);
    const kpi: KpiInput = { name };
    if (group.unit !== undefined) kpi.unit = unit;
    if (kind) kpi.kind = kind;
    if (direction) kpi.direction = direction;
    if (group.targets.size) {
      const effectiveKind = kind ?? lookup.kpiKinds?.get(kpiKindKey(number, subNumber, name)) ?? 'numeric';
      const raw = Object.fromEntries([...group.targets].map(([year, index]) => [year, cell(index) || null]));
      const { errors: targetErrors } = normaliseTargets(effectiveKind, raw, '');
      for (const e of targetErrors) failAt(group.targets.get(e.field.split('.').pop()!)!, `指標「${name}」の${e.message}`);
      kpi.targets = raw;
    }
    kpis.push(kpi);
  }

  const attributes: Record<string, unknown> = {};
  for (const a of columns.attributes) {
    const raw = a.field.perYear
      ? Object.fromEntries([...a.years].map(([year, index]) => [year, cellValue(a.field, cell(index))]))
      : cellValue(a.field, cell(a.index));
    const result = normaliseAttribute(a.field, raw, '');
    for (const e of result.errors) {
      const year = e.field.split('.').pop()!;
      failAt(a.field.perYear ? a.years.get(year)! : a.index!, e.message);
    }
    attributes[a.field.key] = raw;
  }

  const key = `${number}\u0000${subNumber}`;
  if (!errors.some((e) => e.field === '番号')) {
    const previous = seen.get(key);
    if (previous) fail('number', `番号 ${number}${subNumber ? `-${subNumber}` : ''} は ${previous} 行目と重複しています`);
    else seen.set(key, row);
  }
  if (errors.length) return { errors };
  const item: ImportRow = {
    row,
    number,
    subNumber,
    chapter: get('chapter') || null,
    category: get('category') || null,
    title,
    content: get('content') || null,
    targetDateText: get('targetDateText') || null,
    sectionIds,
    kpis,
    attributes,
  };
  if (evaluatorUserId !== undefined) item.evaluatorUserId = evaluatorUserId;
  if (budgetThousandYen !== undefined) item.budgetThousandYen = budgetThousandYen;
  return { row: item, errors };
}
