import { eraYearLabel, FormField } from '@app/domain';
import type { ColumnModel, ReportPart } from '../columns/column-model';
import { attributeValue, EntryView, fieldText, itemNumber, ratingSymbol, shown } from '../columns/entry-view';
import { escapeHtml, multiline } from '../domain/html';
import { kpiTableHtml, partHtml, ratingHtml } from './part-html';

type Part = ReportPart;

/**
 * The sheet layout (事務事業評価, the action plan's 取組状況 sheets): one A4 page per entry, a
 * four-column table of label and value. The item and its attributes first; per-year
 * attributes as a table of fiscal years with the rating of each year beneath (実施状況); then
 * every field of the form with its label in the form's order, the KPI table as target,
 * actual and rate per KPI; for the planning division the evaluator and who approved.
 */
export function entrySheet(model: ColumnModel, view: EntryView, opts: { departmentInBlock: boolean }): string {
  const spec = model.spec;
  const e = view.entry;
  const parts = model.parts;
  const pick = (kind: Part['kind'], key?: string) => parts.find((p) => p.kind === kind && (key === undefined || ('key' in p && p.key === key)));
  const rows: string[] = [];
  const cell = (p: Part | undefined, html?: string) => (p ? `<th>${escapeHtml(p.label)}</th><td>${html ?? partHtml(spec, p, view)}</td>` : '');
  const full = (p: Part, html?: string, cls = '') =>
    `<tr><th>${escapeHtml(p.label)}</th><td colspan="3"${cls ? ` class="${cls}"` : ''}>${html ?? partHtml(spec, p, view)}</td></tr>`;
  const pair = (a: Part | undefined, b: Part | undefined) => {
    if (!a && !b) return;
    if (a && b) rows.push(`<tr>${cell(a)}${cell(b)}</tr>`);
    else rows.push(full((a ?? b)!));
  };

  pair(pick('item', 'section'), pick('workflow', 'evaluator'));
  for (const key of ['chapter', 'category', 'content', 'targetDate']) {
    const p = pick('item', key);
    if (p) rows.push(full(p));
  }
  const perYear = parts.filter((p): p is Extract<Part, { kind: 'attribute' }> => p.kind === 'attribute' && !!p.field.perYear);
  for (const p of parts) if (p.kind === 'attribute' && !p.field.perYear) rows.push(full(p));
  const rating = parts.find((p): p is Extract<Part, { kind: 'rating' }> => p.kind === 'rating');
  if (perYear.length) rows.push(`<tr><td colspan="4" class="years-cell">${yearsTable(model, view, perYear, rating)}</td></tr>`);

  for (const p of parts) {
    if (p.kind === 'rating') {
      if (!perYear.length) rows.push(full(p, ratingHtml(spec, p, view), 'rating'));
    } else if (p.kind === 'kpi') {
      if (spec.kpiSlots > 0) rows.push(full(p, shown(view, p.field) ? kpiTableHtml(view, eraYearLabel(spec.fiscalYear)) : ''));
    } else if (p.kind === 'field' || p.kind === 'section' || ((p.kind === 'department' || p.kind === 'head') && !opts.departmentInBlock)) {
      rows.push(full(p));
    }
  }
  // Who signed it off, as a sheet records; the state and dates are the workflow's (CSV, spreadsheet).
  pair(pick('workflow', 'approvers'), undefined);

  return (
    `<section class="sheet" data-entry="${e.id}">` +
    `<div class="sheet-title"><span class="no">No.${escapeHtml(itemNumber(e))}</span><h2>${escapeHtml(e.title)}</h2></div>` +
    `<table class="sheet-table"><colgroup><col class="label"><col class="value"><col class="label"><col class="value"></colgroup>` +
    `<tbody>${rows.join('')}</tbody></table></section>\n`
  );
}

/**
 * 年次計画 per fiscal year beside 実施状況: one column per year the attributes name (and the
 * cycle's own), a row per per-year attribute, and the rating of each year (earlier years from
 * their accepted entries, this year from this entry).
 */
function yearsTable(
  model: ColumnModel,
  view: EntryView,
  parts: Extract<Part, { kind: 'attribute' }>[],
  rating: Extract<Part, { kind: 'rating' }> | undefined,
): string {
  const spec = model.spec;
  const e = view.entry;
  const years = new Set<number>([spec.fiscalYear]);
  for (const p of parts) {
    const v = e.attributes?.[p.field.key];
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const y of Object.keys(v)) if (/^\d{4}$/.test(y)) years.add(Number(y));
  }
  const sorted = [...years].sort((a, b) => a - b);
  const head = `<tr><th></th>${sorted.map((y) => `<th${y === spec.fiscalYear ? ' class="current"' : ''}>${escapeHtml(eraYearLabel(y))}</th>`).join('')}</tr>`;
  const attributeRow = (f: FormField) =>
    `<tr><th>${escapeHtml(f.label)}</th>${sorted.map((y) => `<td>${multiline(fieldText(f, attributeValue(f, e.attributes, y)))}</td>`).join('')}</tr>`;
  const ratingCell = (y: number) => {
    if (y === spec.fiscalYear) return rating && shown(view, rating.field) ? ratingSymbol(spec, e.rating) : '';
    return y < spec.fiscalYear ? ratingSymbol(spec, e.ratingHistory?.[String(y)] ?? null) : '';
  };
  const ratingRow = rating
    ? `<tr><th>${escapeHtml(rating.label)}</th>${sorted.map((y) => `<td class="sym">${escapeHtml(ratingCell(y))}</td>`).join('')}</tr>`
    : '';
  return `<table class="inner years"><tbody>${head}${parts.map((p) => attributeRow(p.field)).join('')}${ratingRow}</tbody></table>`;
}
