import { eraYearLabel } from '@app/domain';
import { escapeHtml, multiline } from '@app/reports';
import type { Matrix, MatrixCell } from '../domain/matrix';

/**
 * The plan's items × periods matrix, laid out as the monthly pledge report: No., 項目, 内容,
 * 目標期日, 所管課, then a fiscal-year header row over the periods (months and half-years side by
 * side), chapter and parent rows; each cell the rating's symbol with its words.
 */
export function planBody(planId: number, m: Matrix): string {
  if (m.columns.length === 0) return '<p>公表された期間はまだありません。</p>';
  const hasContent = m.rows.some((r) => r.kind === 'item' && r.entry.content);
  const hasTarget = m.rows.some((r) => r.kind === 'item' && r.entry.targetDateText);
  const lead = ['番号', '項目', ...(hasContent ? ['内容'] : []), ...(hasTarget ? ['目標期日'] : []), '所管課'];
  const width = lead.length + m.columns.length;
  const head =
    `<tr>${lead.map((h) => `<th scope="col" rowspan="2">${h}</th>`).join('')}` +
    m.years.map((y) => `<th scope="colgroup" colspan="${y.span}">${escapeHtml(eraYearLabel(y.fiscalYear))}</th>`).join('') +
    `</tr>\n<tr>${m.columns.map((c) => `<th scope="col"><a href="/public/cycles/${c.cycleId}">${escapeHtml(c.shortLabel)}<span class="vh">(${escapeHtml(c.periodLabel)})</span></a></th>`).join('')}</tr>`;
  const body: string[] = [];
  for (const r of m.rows) {
    if (r.kind === 'chapter') body.push(`<tr><th class="chapter" scope="colgroup" colspan="${width}">${escapeHtml(r.text)}</th></tr>`);
    else if (r.kind === 'parent') body.push(`<tr><td class="parent" colspan="${width}">${escapeHtml(r.text)}</td></tr>`);
    else {
      const e = r.entry;
      body.push(
        `<tr><td class="num">${escapeHtml(e.number)}</td><th scope="row"><a href="/public/items/${e.itemId}">${escapeHtml(e.title)}</a></th>` +
          (hasContent ? `<td class="content">${multiline(e.content)}</td>` : '') +
          (hasTarget ? `<td>${escapeHtml(e.targetDateText)}</td>` : '') +
          `<td class="sec">${escapeHtml(e.sectionName)}</td>${r.cells.map(cellHtml).join('')}</tr>`,
      );
    }
  }
  const legends = legendOf(m);
  return `<p>公表された全ての期間の評価を、項目・所管課ごとに並べています。各期間の見出しから、その期間の公表内容を開けます。 <a href="/public/plans/${planId}/feed.atom">更新情報(Atom フィード)</a></p>
<p class="note">表の記号: ${legends}。「未報告」はその期間に報告が公表されなかった項目、空欄はその期間の対象でない項目です。</p>
<div class="scroll" tabindex="0" role="region" aria-label="項目別・期間別の評価"><table class="matrix"><caption>項目別・期間別の評価</caption><thead>${head}</thead><tbody>
${body.join('\n')}
</tbody></table></div>`;
}

function cellHtml(c: MatrixCell): string {
  if (c.status === 'none') return `<td class="cell"><span class="missing">対象外</span></td>`;
  if (c.status === 'not_reported') return `<td class="cell"><span class="missing">未報告</span></td>`;
  if (!c.symbol) return `<td class="cell"><span class="missing">評価なし</span></td>`;
  return `<td class="cell"><span class="sym">${escapeHtml(c.symbol)}</span>${c.label !== c.symbol ? `<span class="lbl">${escapeHtml(c.label)}</span>` : ''}</td>`;
}

function legendOf(m: Matrix): string {
  return m.legend.map((o) => escapeHtml(o.symbol === o.label ? o.symbol : `${o.symbol} … ${o.label}`)).join(' ／ ') || 'なし';
}
