import type { SnapshotEntry } from '@app/reports';
import { escapeHtml, multiline } from '@app/reports';
import { eraDayLabel } from '../domain/era';
import { TEXT_PERIODS_PER_PAGE } from '../domain/item-history';
import type { ItemPeriod, KpiSeries } from '../domain/item-history';
import { ratingOption } from '../domain/publications';
import { fieldsHtml } from './cycle-page';
import { kpiChartHtml } from './kpi-chart';
import { ratingHtml } from './site-page';

/**
 * One item: what it is (as last published), the sections responsible per period (named as
 * then), its rating history, its KPIs over the years (chart and table), and the published
 * text of each period, newest first.
 */
export function itemBody(
  itemId: number,
  latest: SnapshotEntry,
  periods: ItemPeriod[],
  kpis: KpiSeries[],
  texts: { shown: ItemPeriod[]; page: number; pages: number },
): string {
  const history = periods.flatMap((p) =>
    p.entries.map(
      (e) =>
        `<tr><th scope="row"><a href="/public/cycles/${p.version.cycleId}">${escapeHtml(p.version.snapshot.cycle.periodLabel)}</a></th><td>${escapeHtml(e.sectionName)}</td>` +
        `<td class="cell">${e.reported ? ratingHtml(ratingOption(p.version.snapshot, e.rating)) : '<span class="missing">未報告</span>'}</td>` +
        `<td>第${p.version.version}版 ${escapeHtml(eraDayLabel(p.version.publishedAt))}</td></tr>`,
    ),
  );
  const textSections = texts.shown.map(
    (p) =>
      `<section aria-labelledby="p-${p.version.cycleId}"><h3 id="p-${p.version.cycleId}">${escapeHtml(p.version.snapshot.cycle.periodLabel)}(第${p.version.version}版)</h3>` +
      p.entries
        .map(
          (e) => `<h4>${escapeHtml(e.sectionName)}</h4>${e.reported ? fieldsHtml(e) : '<p class="missing">この期間の報告は公表されていません(未報告)。</p>'}`,
        )
        .join('') +
      `</section>`,
  );
  const about = [
    latest.chapter ? `<dt>章</dt><dd>${escapeHtml(latest.chapter)}</dd>` : '',
    latest.category ? `<dt>分類</dt><dd>${escapeHtml(latest.category)}</dd>` : '',
    latest.content ? `<dt>内容</dt><dd>${multiline(latest.content)}</dd>` : '',
    latest.targetDateText ? `<dt>目標期日</dt><dd>${escapeHtml(latest.targetDateText)}</dd>` : '',
  ].join('');
  const sections = [...new Set(periods.flatMap((p) => p.entries.map((e) => e.sectionName)))];
  return `<p class="meta">${escapeHtml(periods[periods.length - 1].version.snapshot.plan.name)} ／ 番号 ${escapeHtml(latest.number)} ／ <a href="/public/items/${itemId}/feed.atom">この項目の更新情報(Atom フィード)</a></p>
${about ? `<dl class="fields">${about}</dl>` : ''}
<h2>所管課</h2>
<p>${sections.map(escapeHtml).join('、')}(各期間の所管課は、その期間の末日の課名で下の表に示します)</p>
<h2>評価の推移</h2>
<div class="scroll" tabindex="0" role="region" aria-label="期間ごとの評価"><table><caption>期間ごとの評価</caption><thead><tr><th scope="col">期間</th><th scope="col">所管課</th><th scope="col">評価</th><th scope="col">公表</th></tr></thead><tbody>
${history.join('\n')}
</tbody></table></div>
${kpis.length ? `<h2>指標(目標と実績)</h2>\n${kpis.map((k, i) => `<h3>${escapeHtml(k.name)}(${escapeHtml(k.sectionName)})</h3>${kpiChartHtml(k, i)}`).join('\n')}` : ''}
<h2>各期間の取組状況</h2>
${texts.pages > 1 ? `<p class="meta">${texts.page} / ${texts.pages} ページ(新しい期間から${TEXT_PERIODS_PER_PAGE}期間ずつ)</p>` : ''}
${textSections.join('\n')}
${pager(itemId, texts.page, texts.pages)}`;
}

/** Links to the newer and older pages of an item's published texts. */
function pager(itemId: number, page: number, pages: number): string {
  if (pages <= 1) return '';
  const link = (p: number, label: string) => `<a href="/public/items/${itemId}${p === 1 ? '' : `?page=${p}`}">${label}</a>`;
  const parts = [page > 1 ? link(page - 1, '新しい期間へ') : '', page < pages ? link(page + 1, 'より古い期間へ') : ''].filter(Boolean);
  return `<nav aria-label="取組状況のページ"><p>${parts.join(' ／ ')}</p></nav>`;
}
