import type { PublishedHead } from '@app/reports';
import { escapeHtml } from '@app/reports';
import { eraDayLabel } from '../domain/era';
import { byPeriod, notReportedSentence } from '../domain/publications';

/** The top page's body: each plan with its published cycles (newest period first) and where to go next. */
export function indexBody(plans: { id: number; name: string; latest: PublishedHead[] }[], hasMunicipalities = false): string {
  const sections = plans.map((p) => {
    const rows = [...p.latest]
      .sort(byPeriod)
      .reverse()
      .map((v) => {
        const c = v.snapshot.cycle;
        const counts = { total: v.entriesTotal, reported: v.entriesReported, notReported: v.entriesTotal - v.entriesReported };
        return (
          `<tr><th scope="row"><a href="/public/cycles/${v.cycleId}">${escapeHtml(c.periodLabel)}</a></th><td>${escapeHtml(v.snapshot.template.name)}</td>` +
          `<td>第${v.version}版</td><td>${escapeHtml(eraDayLabel(v.publishedAt))}</td><td>${escapeHtml(notReportedSentence(counts))}</td></tr>`
        );
      });
    return `<section aria-labelledby="plan-${p.id}"><h2 id="plan-${p.id}"><a href="/public/plans/${p.id}">${escapeHtml(p.name)}</a></h2>
<p><a href="/public/plans/${p.id}">項目ごとの進捗一覧(全期間)</a> ／ <a href="/public/plans/${p.id}/feed.atom">更新情報(Atom フィード)</a></p>
<div class="scroll" tabindex="0" role="region" aria-label="${escapeHtml(p.name)}の公表済みの期間"><table><caption>${escapeHtml(p.name)}の公表済みの期間</caption><thead><tr><th scope="col">期間</th><th scope="col">様式</th><th scope="col">版</th><th scope="col">公表日</th><th scope="col">報告の状況</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div></section>`;
  });
  const municipalities = hasMunicipalities ? '\n<p><a href="/public/municipalities">管内市区町村の公表状況(各市区町村の公開サイトへ)</a></p>' : '';
  return `<p>市が公表した計画の進捗状況(取組状況と評価)を掲載しています。掲載しているのは公表された版だけです。</p>${municipalities}
${sections.length ? sections.join('\n') : '<p>公表された計画はまだありません。</p>'}
<h2>データの利用</h2>
<ul class="plain"><li><a href="/public/opendata">オープンデータ(CSV・JSON)と項目の説明</a></li><li><a href="/public/accessibility">アクセシビリティ方針と試験結果</a></li></ul>`;
}
