import type { PublishedHead } from '@app/reports';
import { escapeHtml } from '@app/reports';
import { eraDayLabel } from '../domain/era';
import { byPeriod } from '../domain/publications';
import { OPEN_DATA_COLUMNS, OpenDataPublisher } from '../opendata/open-data';

/** The field dictionary (項目定義書), the licence, the file format, and every published cycle's files. */
export function openDataBody(p: OpenDataPublisher, plans: { id: number; name: string; latest: PublishedHead[] }[]): string {
  const dictionary = OPEN_DATA_COLUMNS.map(
    (c, i) =>
      `<tr><td class="num">${i + 1}</td><th scope="row">${escapeHtml(c.name)}</th><td>${escapeHtml(c.type)}</td><td>${escapeHtml(c.description)}</td><td>${escapeHtml(c.example)}</td></tr>`,
  );
  const forms = new Map<string, string[]>();
  for (const plan of plans) for (const v of plan.latest) forms.set(v.snapshot.template.name, v.snapshot.fieldLabels);
  const formRows = [...forms].map(
    ([name, labels]) => `<tr><th scope="row">${escapeHtml(name)}</th><td>${labels.map(escapeHtml).join('、') || 'なし'}</td></tr>`,
  );
  const files = plans.map(
    (plan) =>
      `<h3>${escapeHtml(plan.name)}</h3><ul class="plain">${[...plan.latest]
        .sort(byPeriod)
        .reverse()
        .map(
          (v) =>
            `<li>${escapeHtml(v.snapshot.cycle.periodLabel)}(第${v.version}版 ${escapeHtml(eraDayLabel(v.publishedAt))}公表): ` +
            `<a href="/public/cycles/${v.cycleId}/opendata.csv">CSV</a> ／ <a href="/public/cycles/${v.cycleId}/opendata.json">JSON</a></li>`,
        )
        .join('')}</ul>`,
  );
  return `<p>公表した期間ごとの取組状況と評価を、機械判読に適した形式(CSV・JSON)で提供しています。デジタル庁「自治体標準オープンデータセット」の作成の考え方(1行目に項目名、1セル1データ、日付は西暦、全国地方公共団体コードの付与)に沿っています。</p>
<h2>利用条件(ライセンス)</h2>
<p>${escapeHtml(p.municipalityName)}が公表したこれらのデータは、<a href="${escapeHtml(p.licenseUrl)}">${escapeHtml(p.licenseName)}</a>の下で提供します。出典として「${escapeHtml(p.municipalityName)}」と表示してください。</p>
<h2>ファイルの形式</h2>
<ul class="plain">
<li>CSV: 文字コード UTF-8(BOM付き)、改行 CRLF、区切り文字 カンマ、1行目は項目名(ヘッダー)、1行に1項目・1所管課。</li>
<li>JSON: 文字コード UTF-8。records の各要素が CSV の1行に当たり、同じ項目名をキーとします。各要素の「指標」に目標と実績を収めます。</li>
<li>日付は西暦(YYYY-MM-DD)で、その右の列に和暦を記載しています。</li>
<li>公表後の訂正は再公表として版を改めます。ファイルは常に最新の版です。</li>
</ul>
<h2>データ項目の説明</h2>
<div class="scroll" tabindex="0" role="region" aria-label="各列の名前・型・意味"><table><caption>各列の名前・型・意味</caption><thead><tr><th scope="col">列</th><th scope="col">項目名</th><th scope="col">型</th><th scope="col">説明</th><th scope="col">例</th></tr></thead><tbody>
${dictionary.join('\n')}
<tr><td class="num">${OPEN_DATA_COLUMNS.length + 1}～</td><th scope="row">(様式の項目)</th><td>文字列</td><td>様式ごとに公表する報告の内容(進捗状況、理由など)。項目名は様式の項目名のままです(下表)。未報告の行は空欄です。</td><td></td></tr>
</tbody></table></div>
${formRows.length ? `<div class="scroll" tabindex="0" role="region" aria-label="様式ごとの追加の列"><table><caption>様式ごとの追加の列</caption><thead><tr><th scope="col">様式</th><th scope="col">列(順に)</th></tr></thead><tbody>${formRows.join('')}</tbody></table></div>` : ''}
<h2>ダウンロード</h2>
<p>全てのデータセットの一覧(機械判読用): <a href="/public/opendata/catalog.json">catalog.json</a></p>
${files.length ? files.join('\n') : '<p>公表されたデータはまだありません。</p>'}`;
}
