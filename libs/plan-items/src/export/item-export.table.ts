import { eraYearLabel, FormField, KPI_DIRECTION_LABELS, KPI_KIND_LABELS } from '@app/domain';
import { isFiscalYearKey } from '../item-attributes';
import type { ItemView } from '../items.service';
import { optionValue, splitListCell } from '../import/item-import.cells';
import { IMPORT_COLUMNS, parseFiscalYearLabel } from '../import/item-import.columns';

/**
 * A plan's items as the import reads them: the same headers and cell formats, so a file
 * exported, edited in Excel and imported again changes only what was edited. Pure: the
 * service loads the items, the sections and the evaluators' logins; the writers (CSV, XLSX)
 * only lay the cells out.
 *
 * - The item's own columns in the import's order (番号 … 予算額(千円)).
 * - 指標1, 指標1の単位, 指標1の種類, 指標1の方向, 指標1の目標(令和6年度) … for as many KPIs as the
 *   item with the most has, one 目標 column per fiscal year any KPI has a target for.
 * - The plan's attributes by label; a per-year one as 予算額(令和6年度) for each year any item has.
 * - A plan with no KPI target (or no value of a per-year attribute) still gets a column for
 *   `fiscalYear`, so the file can be filled in: a blank column there clears nothing.
 */

export type ExportCell = string | number | null;

export interface ExportTable {
  header: string[];
  rows: ExportCell[][];
}

export interface ExportContext {
  /** The plan's item attributes, in definition order. */
  fields: readonly FormField[];
  /** What a 所管課 cell may name, as the import builds it (sectionKeys over the active sections). */
  sectionKeys: ReadonlyMap<string, number>;
  /** Every user's login by id (inactive ones too: the import then names the row to fix). */
  logins: ReadonlyMap<number, string>;
  /** The year given a column when no item has any (this fiscal year). */
  fiscalYear: number;
}

/** The separator the export writes between several sections or choices (the template's). */
const LIST_JOIN = '・';

export function itemExportTable(items: readonly ItemView[], ctx: ExportContext): ExportTable {
  const kpiCount = items.reduce((most, i) => Math.max(most, i.kpis.length), 1);
  const targetYears = yearsOf(
    items.flatMap((i) => i.kpis.map((k) => k.targets)),
    ctx.fiscalYear,
  );
  const attributeYears = new Map(
    ctx.fields
      .filter((f) => f.perYear)
      .map((f) => [
        f.key,
        yearsOf(
          items.map((i) => i.attributes[f.key]),
          ctx.fiscalYear,
        ),
      ]),
  );

  const header: string[] = IMPORT_COLUMNS.map((c) => c.ja);
  for (let n = 1; n <= kpiCount; n++) {
    header.push(`指標${n}`, `指標${n}の単位`, `指標${n}の種類`, `指標${n}の方向`, ...targetYears.map((y) => `指標${n}の目標(${yearHeader(y)})`));
  }
  for (const f of ctx.fields) {
    if (f.perYear) header.push(...attributeYears.get(f.key)!.map((y) => `${f.label}(${yearHeader(y)})`));
    else header.push(f.label);
  }

  const rows = items.map((item) => {
    const row: ExportCell[] = [
      item.number,
      item.subNumber || null,
      item.chapter,
      item.category,
      item.title,
      item.content,
      item.targetDateText,
      item.sections.map((s) => sectionText(s, ctx.sectionKeys)).join(LIST_JOIN),
      item.evaluatorUserId === null ? null : (ctx.logins.get(item.evaluatorUserId) ?? null),
      item.budgetThousandYen,
    ];
    for (let n = 0; n < kpiCount; n++) {
      const k = item.kpis[n];
      if (!k) {
        row.push(null, null, null, null, ...targetYears.map(() => null));
        continue;
      }
      row.push(k.name, k.unit || null, KPI_KIND_LABELS[k.kind], KPI_DIRECTION_LABELS[k.direction]);
      row.push(...targetYears.map((y) => (k.targets[y] === undefined ? null : k.kind === 'milestone' ? String(k.targets[y]) : k.targets[y])));
    }
    for (const f of ctx.fields) {
      const value = item.attributes[f.key];
      if (!f.perYear) row.push(attributeCell(f, value));
      else {
        const years = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
        row.push(...attributeYears.get(f.key)!.map((y) => attributeCell(f, years[y])));
      }
    }
    return row;
  });
  return { header, rows };
}

/** The fiscal years the objects are keyed by, in order; `fallback` alone when there are none. */
function yearsOf(objects: unknown[], fallback: number): string[] {
  const years = new Set<string>();
  for (const o of objects) {
    if (o && typeof o === 'object' && !Array.isArray(o)) for (const key of Object.keys(o)) if (isFiscalYearKey(key)) years.add(key);
  }
  return years.size ? [...years].sort() : [String(fallback)];
}

/** 令和6年度 for 2024; the 4-digit year when the era label would not read back (令和100年度 and later). */
export function yearHeader(year: string): string {
  const label = eraYearLabel(Number(year));
  return parseFiscalYearLabel(label) === Number(year) ? label : year;
}

/** A section by its name when the import reads that name as this section, else by its code. */
function sectionText(section: { sectionId: number; sectionCode: string; sectionName: string }, keys: ReadonlyMap<string, number>): string {
  const readsBack = (text: string) => keys.get(text) === section.sectionId && isOneListEntry(text);
  if (readsBack(section.sectionName)) return section.sectionName;
  if (readsBack(section.sectionCode)) return section.sectionCode;
  return section.sectionName; // retired or ambiguous: the import names the row to fix
}

const isOneListEntry = (text: string) => {
  const parts = splitListCell(text);
  return parts.length === 1 && parts[0] === text;
};

/** An attribute value as a cell the import reads back to the same value (null for none). */
export function attributeCell(field: FormField, value: unknown): ExportCell {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'number':
    case 'money':
      return typeof value === 'number' ? value : String(value);
    case 'yes_no':
      return value === true ? 'はい' : value === false ? 'いいえ' : String(value);
    case 'single_choice':
      return choiceText(field, String(value), false);
    case 'multi_choice':
      return Array.isArray(value) ? value.map((v) => choiceText(field, String(v), true)).join(LIST_JOIN) : String(value);
    default:
      return String(value);
  }
}

/**
 * A choice by its label (what people read), unless the label would be read as another option
 * or, in a list, would split at ・、, — then by its value.
 */
function choiceText(field: FormField, value: string, inList: boolean): string {
  const option = (field.options ?? []).find((o) => o.value === value);
  for (const text of option ? [option.label, option.value] : []) {
    if (text !== text.trim() || text === '') continue;
    if (inList && !isOneListEntry(text)) continue;
    if (optionValue(field.options, text) === value) return text;
  }
  return value;
}
