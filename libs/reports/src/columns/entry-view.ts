import { neutraliseFormula } from '@app/common';
import {
  displayFieldValue,
  ENTRY_STATE_LABELS,
  findOption,
  formatAchievement,
  FormField,
  FormValues,
  isShown,
  kpiAchievement,
  KpiDefinition,
  RuleContext,
  ruleContext,
  valueOf,
} from '@app/domain';
import { tokyoDate } from '../domain/era-date';
import type { Cell, ColumnHeader, ColumnModel, ColumnModelSpec, ReportPart } from './column-model';
import type { ApprovalMark, ReportEntry } from './report-entry';

/** One KPI of the entry's item as printed: its target for the fiscal year, the actual, the rate. */
export interface KpiLine {
  name: string;
  unit: string;
  kind: KpiDefinition['kind'];
  direction: KpiDefinition['direction'];
  target: string;
  actual: string;
  /** "85.0%", or 達成 / 未達成 for a milestone; '' when it cannot be judged. */
  rate: string;
}

/**
 * An entry read against the cycle's form: the rule context its rules see (so a field whose
 * visible rule is false prints blank, as the form hides it) and its KPI lines. Both are
 * computed on first use: a form without visibility rules never builds a context, and an
 * export row is made of many of them (50,000 in a large cycle).
 */
export interface EntryView {
  entry: ReportEntry;
  readonly context: RuleContext;
  readonly kpis: KpiLine[];
}

export function viewEntry(spec: ColumnModelSpec, entry: ReportEntry): EntryView {
  let context: RuleContext | undefined;
  let kpis: KpiLine[] | undefined;
  return {
    entry,
    get context() {
      context ??= ruleContext(spec.fields, spec.scale, formValuesOf(entry), {
        previousRating: entry.previousRating,
        kpis: entry.kpis,
        fiscalYear: spec.fiscalYear,
        item: ruleItem(spec, entry),
        scopeValues: { ...entry.departmentValues, ...entry.sectionValues },
      });
      return context;
    },
    get kpis() {
      if (!kpis) {
        const actuals = new Map((entry.kpiActuals ?? []).map((a) => [a.kpiId, a.actual]));
        kpis = (entry.kpis ?? []).map((k) => kpiLine(k, spec.fiscalYear, actuals.get(k.id)));
      }
      return kpis;
    },
  };
}

/** The entry's values by key as the form's rules read them. */
function formValuesOf(e: ReportEntry): FormValues {
  return {
    rating: e.rating,
    progress: e.progress,
    fiscalGoal: e.fiscalGoal,
    shortTermPlan: e.shortTermPlan,
    reason: e.reason,
    nextSteps: e.nextSteps,
    kpiActuals: e.kpiActuals ?? [],
    values: e.values ?? {},
  };
}

/** The item's attributes as a rule reads them: a per-year attribute gives the cycle's year. */
function ruleItem(spec: ColumnModelSpec, e: ReportEntry): Record<string, unknown> {
  return Object.fromEntries(spec.itemFields.map((f) => [f.key, attributeValue(f, e.attributes, spec.fiscalYear)]));
}

export function attributeValue(field: FormField, attributes: Record<string, unknown>, fiscalYear: number): unknown {
  const v = attributes?.[field.key];
  if (!field.perYear) return v ?? null;
  return v && typeof v === 'object' && !Array.isArray(v) ? ((v as Record<string, unknown>)[String(fiscalYear)] ?? null) : null;
}

/** A value as printed: displayFieldValue (era dates, choice labels, separators) and the field's unit. */
export function fieldText(field: FormField, value: unknown): string {
  const text = displayFieldValue(field, value);
  return text && field.unit && (field.type === 'number' || field.type === 'money') ? `${text}${field.unit}` : text;
}

function kpiValue(kpi: KpiDefinition, value: number | string | null): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'number') return `${value.toLocaleString('ja-JP', { maximumFractionDigits: 6 })}${kpi.unit ?? ''}`;
  return kpi.kind === 'milestone' ? value : `${value}${kpi.unit ?? ''}`;
}

export function kpiLine(kpi: KpiDefinition, fiscalYear: number, actual: number | string | null | undefined): KpiLine {
  const a = kpiAchievement(kpi, fiscalYear, actual);
  return {
    name: kpi.name,
    unit: kpi.unit ?? '',
    kind: kpi.kind,
    direction: kpi.direction,
    target: kpiValue(kpi, a.target),
    actual: kpiValue(kpi, a.actual),
    rate: formatAchievement(kpi.kind, a),
  };
}

/** 承認者: who approved since the last submission, in order; a delegate's approval marked 代決. */
export function approversText(approvals: readonly ApprovalMark[]): string {
  return approvals
    .map((a) => {
      const name = a.name ?? '(不明)';
      if (!a.acting) return name;
      return a.onBehalfOfName ? `${name}(${a.onBehalfOfName}の代決)` : `${name}(代決)`;
    })
    .join('、');
}

export function itemNumber(e: Pick<ReportEntry, 'number' | 'subNumber'>): string {
  return e.subNumber ? `${e.number}-${e.subNumber}` : String(e.number);
}

/** Whether the form shows the field for this entry (a visible rule that is false hides it). */
export function shown(view: EntryView, field: FormField): boolean {
  return field.visible === undefined || field.visible === true || isShown(field, view.context);
}

/** The rating's symbol as the scale prints it (the stored value when the scale lacks it). */
export function ratingSymbol(spec: ColumnModelSpec, rating: string | null): string {
  return findOption(spec.scale, rating)?.symbol ?? rating ?? '';
}

/** A part's text for one entry; '' for a hidden field. The KPI table has no single text. */
export function partText(spec: ColumnModelSpec, part: ReportPart, view: EntryView, values: FormValues = formValuesOf(view.entry)): string {
  const e = view.entry;
  switch (part.kind) {
    case 'item':
      return itemText(part.key, e);
    case 'attribute':
      return fieldText(part.field, attributeValue(part.field, e.attributes, spec.fiscalYear));
    case 'rating':
      return shown(view, part.field) ? ratingSymbol(spec, e.rating) : '';
    case 'field':
      return shown(view, part.field) ? fieldText(part.field, valueOf(values, part.field.key)) : '';
    case 'department':
      return shown(view, part.field) ? fieldText(part.field, e.departmentValues?.[part.field.key] ?? null) : '';
    case 'section':
      return shown(view, part.field) ? fieldText(part.field, e.sectionValues?.[part.field.key] ?? null) : '';
    case 'head':
      return e.headName ?? '';
    case 'kpi':
      return '';
    case 'workflow':
      switch (part.key) {
        case 'evaluator':
          return e.evaluatorName ?? '';
        case 'approvers':
          return approversText(e.approvals ?? []);
        case 'state':
          return ENTRY_STATE_LABELS[e.state] ?? e.state;
        case 'submittedAt':
          return tokyoDate(e.submittedAt);
        case 'acceptedAt':
          return tokyoDate(e.acceptedAt);
      }
      return '';
    case 'external':
      return e[part.key === 'response' ? 'recommendationResponse' : part.key] ?? '';
  }
}

function itemText(key: Extract<ReportPart, { kind: 'item' }>['key'], e: ReportEntry): string {
  switch (key) {
    case 'number':
      return itemNumber(e);
    case 'title':
      return e.title;
    case 'chapter':
      return e.chapter ?? '';
    case 'category':
      return e.category ?? '';
    case 'content':
      return e.content ?? '';
    case 'targetDate':
      return e.targetDateText ?? '';
    case 'section':
      return e.sectionName;
  }
}

function columnCell(spec: ColumnModelSpec, column: ColumnHeader, view: EntryView, values: FormValues): Cell {
  if (column.kpi) {
    if (column.part.kind !== 'kpi' || !shown(view, column.part.field)) return '';
    const line = view.kpis[column.kpi.slot];
    return line ? line[column.kpi.value] : '';
  }
  // 番号 stays a number in the spreadsheet when the item has no sub-number.
  if (column.part.kind === 'item' && column.part.key === 'number' && !view.entry.subNumber) return view.entry.number;
  return partText(spec, column.part, view, values);
}

/** One row of the CSV or the XLSX: a cell per column, in the model's order. */
/**
 * One entry's cells, text defused against formula injection (neutraliseFormula: a text that
 * starts with = + - @ is written with an apostrophe), the same in the CSV and the spreadsheet.
 */
export function rowCells(model: ColumnModel, entry: ReportEntry): Cell[] {
  const view = viewEntry(model.spec, entry);
  const values = formValuesOf(entry);
  return model.columns.map((c) => {
    const cell = columnCell(model.spec, c, view, values);
    return typeof cell === 'string' ? neutraliseFormula(cell) : cell;
  });
}
