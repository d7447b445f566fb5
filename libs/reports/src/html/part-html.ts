import { findOption } from '@app/domain';
import type { ColumnModelSpec, ReportPart } from '../columns/column-model';
import { EntryView, partText, shown } from '../columns/entry-view';
import { escapeHtml, multiline } from '../domain/html';

/** A part's value as HTML (escaped; long texts keep their line breaks). */
export function partHtml(spec: ColumnModelSpec, part: ReportPart, view: EntryView): string {
  if (part.kind === 'kpi') return kpiLinesHtml(spec, part, view);
  const text = partText(spec, part, view);
  const long = ('field' in part && part.field.type === 'long_text') || (part.kind === 'item' && part.key === 'content');
  return long ? multiline(text) : escapeHtml(text);
}

/** The rating as the sheet prints it: the symbol, then the option's label when it says more. */
export function ratingHtml(spec: ColumnModelSpec, part: Extract<ReportPart, { kind: 'rating' }>, view: EntryView): string {
  if (!shown(view, part.field)) return '';
  const option = findOption(spec.scale, view.entry.rating);
  if (!option) return escapeHtml(view.entry.rating ?? '');
  const label = option.label !== option.symbol ? `<span class="label">${escapeHtml(option.label)}</span>` : '';
  return `${escapeHtml(option.symbol)}${label}`;
}

/** The KPI table in one list cell: a line per KPI with its target, actual and rate. */
function kpiLinesHtml(spec: ColumnModelSpec, part: Extract<ReportPart, { kind: 'kpi' }>, view: EntryView): string {
  if (!shown(view, part.field)) return '';
  return view.kpis
    .map((k) => {
      const parts = [
        k.target ? `<span class="k">目標</span> ${escapeHtml(k.target)}` : '',
        k.actual ? `<span class="k">実績</span> ${escapeHtml(k.actual)}${k.kind === 'milestone' && k.rate ? `(${escapeHtml(k.rate)})` : ''}` : '',
        k.rate && k.kind !== 'milestone' ? `<span class="k">達成率</span> ${escapeHtml(k.rate)}` : '',
      ].filter(Boolean);
      return `<span class="kpi-line">${escapeHtml(k.name)}${parts.length ? `<br>${parts.join(' ')}` : ''}</span>`;
    })
    .join('');
}

/** The KPI table of a sheet: 指標, target for the fiscal year, actual, rate, one row per KPI. */
export function kpiTableHtml(view: EntryView, yearLabel: string): string {
  if (view.kpis.length === 0) return '';
  const rows = view.kpis.map(
    (k) =>
      `<tr><td>${escapeHtml(k.name)}</td><td class="num">${escapeHtml(k.target)}</td><td class="num">${escapeHtml(k.actual)}</td>` +
      `<td class="num">${escapeHtml(k.rate)}</td></tr>`,
  );
  return (
    `<table class="inner kpis"><thead><tr><th>指標</th><th>目標(${escapeHtml(yearLabel)})</th><th>実績</th><th>達成率</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}
