import type { PublishedVersion, SnapshotEntry } from '@app/reports';
import { escapeHtml, multiline } from '@app/reports';
import { eraDayLabel } from '../domain/era';
import { byItem, groupRows, notReportedSentence, publicationCounts, ratingOption } from '../domain/publications';
import { ratingHtml } from './site-page';

/**
 * One cycle's publication: which version and when, the counts per rating as the A–D list's
 * summary table with the number not reported said plainly, then the list (chapter and parent
 * rows, 内容, the published texts, 評価), every item of the cycle, a not-reported one marked so.
 */
export function cycleBody(v: PublishedVersion, versions: readonly PublishedVersion[]): string {
  const s = v.snapshot;
  const counts = publicationCounts(s);
  const history = versions.length > 1 ? `(${versions.map((x) => `第${x.version}版 ${eraDayLabel(x.publishedAt)}`).join('、')})` : '';
  const summary = counts.ratings.map(
    (r) => `<tr><th scope="row">${escapeHtml(r.symbol === r.label ? r.symbol : `${r.symbol} ${r.label}`)}</th><td class="num">${r.count}</td></tr>`,
  );
  if (counts.unrated) summary.push(`<tr><th scope="row">評価なし</th><td class="num">${counts.unrated}</td></tr>`);
  summary.push(
    `<tr><th scope="row">未報告</th><td class="num">${counts.notReported}</td></tr>`,
    `<tr><th scope="row">合計</th><td class="num">${counts.total}</td></tr>`,
  );
  const hasContent = s.entries.some((e) => e.content);
  const cols = ['番号', '項目', ...(hasContent ? ['内容'] : []), '所管課', '取組状況', '評価'];
  const rows = groupRows([...s.entries].sort(byItem)).map((r) =>
    r.kind === 'chapter'
      ? `<tr><th class="chapter" scope="colgroup" colspan="${cols.length}">${escapeHtml(r.text)}</th></tr>`
      : r.kind === 'parent'
        ? `<tr><td class="parent" colspan="${cols.length}">${escapeHtml(r.text)}</td></tr>`
        : entryRow(v, r.entry, hasContent),
  );
  return `<p class="meta">${escapeHtml(s.template.name)} ／ 対象期間: ${escapeHtml(eraDayLabel(s.cycle.periodStart))}～${escapeHtml(eraDayLabel(s.cycle.periodEnd))}</p>
<p class="lead">第${v.version}版 公表日: ${escapeHtml(eraDayLabel(v.publishedAt))}</p>
${history ? `<p class="note">公表の履歴${escapeHtml(history)}。表示しているのは最新の版です。</p>` : ''}
<h2>評価の集計</h2>
<p class="lead">${escapeHtml(notReportedSentence(counts))}</p>
<table class="summary"><caption>評価別の項目数</caption><thead><tr><th scope="col">評価</th><th scope="col" class="num">項目数</th></tr></thead><tbody>
${summary.join('\n')}
</tbody></table>
<p class="note">複数の課が担当する項目は、課ごとに1項目として数えています。</p>
<h2>取組状況一覧</h2>
<div class="scroll" tabindex="0" role="region" aria-label="${escapeHtml(s.cycle.periodLabel)}の取組状況"><table class="list"><caption>${escapeHtml(s.cycle.periodLabel)}の取組状況</caption><thead><tr>${cols.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>
<h2>この期間のデータ</h2>
<ul class="plain">
<li><a href="/public/cycles/${v.cycleId}/opendata.csv">オープンデータ(CSV、UTF-8)</a> ／ <a href="/public/cycles/${v.cycleId}/opendata.json">JSON</a>(<a href="/public/opendata">項目の説明</a>)</li>
<li><a href="/public/cycles/${v.cycleId}/report.html">印刷用の公表資料(A4)</a></li>
<li><a href="/public/plans/${s.plan.id}">${escapeHtml(s.plan.name)}の項目別・期間別の評価</a></li>
</ul>`;
}

function entryRow(v: PublishedVersion, e: SnapshotEntry, hasContent: boolean): string {
  const lead =
    `<td class="num">${escapeHtml(e.number)}</td><th scope="row"><a href="/public/items/${e.itemId}">${escapeHtml(e.title)}</a></th>` +
    (hasContent ? `<td class="content">${multiline(e.content)}</td>` : '') +
    `<td class="sec">${escapeHtml(e.sectionName)}</td>`;
  if (!e.reported)
    return `<tr>${lead}<td><span class="missing">報告は公表されていません</span></td><td class="cell"><span class="missing">未報告</span></td></tr>`;
  return `<tr>${lead}<td>${fieldsHtml(e)}</td><td class="cell">${ratingHtml(ratingOption(v.snapshot, e.rating))}</td></tr>`;
}

/** The published texts of an entry as label and value, with its KPIs. */
export function fieldsHtml(e: SnapshotEntry): string {
  const items = e.fields.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.text)}</dd>`);
  for (const k of e.kpis) {
    const value = (v: number | string) =>
      typeof v === 'number' ? `${v.toLocaleString('ja-JP', { maximumFractionDigits: 6 })}${k.unit}` : k.kind === 'numeric' ? `${v}${k.unit}` : v;
    const parts = [k.target !== null ? `目標 ${value(k.target)}` : '', k.actual !== null ? `実績 ${value(k.actual)}` : '', k.rate ? `達成率 ${k.rate}` : '']
      .filter(Boolean)
      .join(' ／ ');
    if (parts) items.push(`<dt>指標: ${escapeHtml(k.name)}</dt><dd>${escapeHtml(parts)}</dd>`);
  }
  return items.length ? `<dl class="fields">${items.join('')}</dl>` : '<span class="missing">記載なし</span>';
}
