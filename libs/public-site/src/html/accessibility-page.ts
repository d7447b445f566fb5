import { escapeHtml } from '@app/reports';
import { ACCESSIBILITY_CHECK, CHECKED_AREA_LABELS, checkedPageResults } from '@app/domain';
import { eraDayLabel } from '../domain/era';

/** The accessibility statement (ウェブアクセシビリティ方針) with the recorded test results. */
export function accessibilityBody(municipalityName: string): string {
  const c = ACCESSIBILITY_CHECK;
  const rows = checkedPageResults().map(
    (p) =>
      `<tr><td>${escapeHtml(CHECKED_AREA_LABELS[p.area])}</td><th scope="row">${escapeHtml(p.page)}</th><td><code>${escapeHtml(p.path)}</code></td><td>${escapeHtml(p.state)}</td>` +
      `<td class="num">${p.violations}件</td><td>${p.violations === 0 ? '適合(自動試験で問題なし)' : '問題あり(修正予定)'}</td></tr>`,
  );
  return `<h2>方針</h2>
<p>${escapeHtml(municipalityName)}は、誰もが公表内容を利用できるよう、この公開サイトと職員用の画面を日本産業規格 ${escapeHtml(c.standardCode)}「高齢者・障害者等配慮設計指針－情報通信における機器，ソフトウェア及びサービス－第3部：ウェブコンテンツ」の適合レベル${escapeHtml(c.level)}に準拠することを目標としています。</p>
<ul class="plain">
<li>すべてのページで言語(日本語)を指定し、本文は main 要素に置き、「本文へ移動」のリンクを設けています。</li>
<li>表には見出しセルと範囲(scope)を指定しています。評価は記号と言葉を並べて示し、色だけで区別しません。</li>
<li>文字と背景のコントラスト比は 4.5:1 以上です。スクリプトを使わずに全ての情報を読めます。</li>
<li>指標のグラフには同じ数値の表を並べています。</li>
</ul>
<h2>試験の結果</h2>
<dl class="fields">
<dt>試験日</dt><dd>${escapeHtml(eraDayLabel(c.checkedOn))}(${escapeHtml(c.checkedOn)})</dd>
<dt>試験の方法</dt><dd>自動試験ツール ${escapeHtml(c.tool)} ${escapeHtml(c.toolVersion)} を ${escapeHtml(c.browser)} 上で実行(規則: ${escapeHtml(c.ruleTags.join(', '))})。全ページで違反0件を求める自動試験をリリースのたびに実施しています。</dd>
<dt>対象</dt><dd>下表のページと状態(公開サイトの全ての種類のページと、職員用画面の各画面・各状態)</dd>
</dl>
<div class="scroll" tabindex="0" role="region" aria-label="試験したページと結果"><table><caption>試験したページと結果</caption><thead><tr><th scope="col">区分</th><th scope="col">ページ</th><th scope="col">アドレス</th><th scope="col">状態</th><th scope="col">違反</th><th scope="col">結果</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>
<p class="note">自動試験で確認できない達成基準(代替テキストの適切さ、読み上げの順序の分かりやすさなど)は、ページの作成時に確認しています。お気づきの点は${escapeHtml(municipalityName)}の担当窓口までお知らせください。</p>`;
}
