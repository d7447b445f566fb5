import type { ColumnModel } from '../columns/column-model';
import { EntryView } from '../columns/entry-view';
import { escapeHtml } from '../domain/html';
import { partHtml } from './part-html';

/**
 * A department's heading, printed once before its entries (as the published 部長目標 results
 * are laid out): the department's name, 部長名 and the form's department fields (基本方針,
 * 総括) with their labels. `view` is any entry of the department: the values are the
 * department's, the same on each.
 */
export function departmentHeading(model: ColumnModel, view: EntryView): string {
  const rows = model.parts
    .filter((p) => p.kind === 'head' || p.kind === 'department')
    .map((p) => `<tr><th>${escapeHtml(p.label)}</th><td>${partHtml(model.spec, p, view)}</td></tr>`);
  return `<h2>${escapeHtml(view.entry.departmentName)}</h2><table class="dept-fields"><tbody>${rows.join('')}</tbody></table>`;
}

/** The heading as a page of its own, before the department's sheets. */
export function departmentSheet(model: ColumnModel, view: EntryView): string {
  return `<section class="dept sheet" data-department="${view.entry.departmentId}">${departmentHeading(model, view)}</section>\n`;
}
