import type { FormField } from '@app/domain';
import type { ColumnModel, ReportPart } from '../columns/column-model';
import { EntryView, ratingSymbol, shown } from '../columns/entry-view';
import { escapeHtml } from '../domain/html';
import { departmentHeading } from './department-block';
import { partHtml } from './part-html';

/**
 * The list layout (A–D list, monthly pledge report): one table, a column per part of the
 * model, the KPI table in one cell. Chapters are group rows (章 is no column here); with
 * department fields the entries come by department, and 部長名 and the department's fields
 * go to one heading row per department (部長目標の結果).
 */
export interface ListLayout {
  parts: ReportPart[];
  /** More columns than A4 portrait holds legibly: print landscape. */
  landscape: boolean;
  /** Still more: a smaller type for the table. */
  dense: boolean;
  open(): string;
  close(): string;
  groupRow(text: string): string;
  departmentRow(view: EntryView): string;
  row(view: EntryView): string;
}

/**
 * `filled`: the field keys with a value somewhere in the report; a field empty everywhere
 * keeps its column (nothing defined is left out) but a narrow one, so the texts get the room.
 */
export function listLayout(model: ColumnModel, opts: { byDepartment: boolean; filled?: ReadonlySet<string> }): ListLayout {
  const parts = model.parts.filter((p) => {
    if (opts.byDepartment && (p.kind === 'department' || p.kind === 'head')) return false;
    if (p.kind === 'item' && p.key === 'chapter') return false;
    if (p.kind === 'kpi' && model.spec.kpiSlots === 0) return false;
    // The printed list is laid out as the published one (the A–D list, the monthly report):
    // who approved, the state and the dates are the workflow's, kept in the CSV and spreadsheet.
    return p.kind !== 'workflow' && p.kind !== 'external';
  });
  const empty = (p: ReportPart) => opts.filled !== undefined && 'field' in p && p.kind !== 'attribute' && !opts.filled.has(p.field.key);
  const weights = parts.map((p) => (empty(p) ? Math.min(4, weightOf(p)) : weightOf(p)));
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.round((w / total) * 1000) / 10);
  const spec = model.spec;
  return {
    parts,
    // Long texts side by side (内容, 取組状況) need the width of a landscape page to stay readable.
    landscape: total > 70 || parts.length > 8,
    dense: total > 150,
    open: () =>
      // Widths as the col element's own attribute: a style attribute would need 'unsafe-inline'.
      `<table class="list${total > 150 ? ' dense' : ''}"><colgroup>${widths.map((w) => `<col width="${w}%">`).join('')}</colgroup>` +
      `<thead><tr>${parts.map((p) => `<th>${escapeHtml(p.label)}</th>`).join('')}</tr></thead><tbody>\n`,
    close: () => `</tbody></table>\n`,
    groupRow: (text) => `<tr><th class="group" colspan="${parts.length}">${escapeHtml(text)}</th></tr>`,
    departmentRow: (view) =>
      `<tr class="dept-row" data-department="${view.entry.departmentId}"><td colspan="${parts.length}">${departmentHeading(model, view)}</td></tr>`,
    row: (view) => {
      const cells = parts.map((p) => {
        if (p.kind === 'rating') {
          const label = shown(view, p.field) ? (spec.scale.options.find((o) => o.value === view.entry.rating)?.label ?? '') : '';
          return `<td class="sym" title="${escapeHtml(label)}">${escapeHtml(shown(view, p.field) ? ratingSymbol(spec, view.entry.rating) : '')}</td>`;
        }
        const num = p.kind === 'item' && p.key === 'number';
        return `<td${num ? ' class="num"' : ''}>${partHtml(spec, p, view)}</td>`;
      });
      // A short row stays on one page; a long one may continue on the next rather than leave
      // most of a page blank (the header row repeats).
      const long = cells.reduce((n, c) => n + c.length, 0) > LONG_ROW_CHARS;
      return `<tr data-entry="${view.entry.id}"${long ? ' class="long"' : ''}>${cells.join('')}</tr>`;
    },
  };
}

/** Markup length past which a row is allowed to break across pages (about a third of a page of text). */
const LONG_ROW_CHARS = 1200;

/** Relative column width on paper, by what the part holds. */
function weightOf(part: ReportPart): number {
  switch (part.kind) {
    case 'item':
      return { number: 5, title: 14, chapter: 10, category: 8, content: 18, targetDate: 6, section: 9 }[part.key];
    case 'rating':
      return 6;
    case 'kpi':
      return 20;
    case 'head':
      return 8;
    case 'workflow':
      return { evaluator: 8, approvers: 12, state: 8, submittedAt: 7, acceptedAt: 7 }[part.key];
    case 'attribute':
      return fieldWeight(part.field) * 0.75;
    case 'external':
      return 14;
    default:
      return fieldWeight(part.field);
  }
}

function fieldWeight(field: FormField): number {
  switch (field.type) {
    case 'long_text':
      return 16;
    case 'short_text':
    case 'multi_choice':
      return 10;
    case 'single_choice':
    case 'date':
      return 8;
    case 'yes_no':
      return 5;
    default:
      return 7;
  }
}
