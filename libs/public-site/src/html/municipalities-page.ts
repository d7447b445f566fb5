import { escapeHtml } from '@app/reports';
import { eraDayLabel } from '../domain/era';

/** A municipality of the prefecture with its latest publications (labels only), as the prefecture's index lists it. */
export interface MunicipalityListing {
  code: string | null;
  name: string;
  /** Its public site's address (the municipality's PUBLIC_URL), or null when not registered. */
  publicUrl: string | null;
  latest: { cycleId: number; version: number; publishedAt: Date; planName: string; templateName: string; periodLabel: string }[];
}

/**
 * The prefecture's index (/public/municipalities): each municipality with a link to its own
 * public site and to its latest publications there. Served under the prefecture's tenant; the
 * publications are read through prefecture_read, the names through tenants' tenant_read.
 */
export function municipalitiesBody(prefectureName: string, municipalities: MunicipalityListing[]): string {
  const sections = municipalities.map((m, i) => {
    const site = m.publicUrl ? m.publicUrl.replace(/\/+$/, '') : null;
    const heading = site ? `<a href="${escapeHtml(site)}/public">${escapeHtml(m.name)}</a>` : escapeHtml(m.name);
    const rows = m.latest.map((p) => {
      const period = site ? `<a href="${escapeHtml(site)}/public/cycles/${p.cycleId}">${escapeHtml(p.periodLabel)}</a>` : escapeHtml(p.periodLabel);
      return `<tr><th scope="row">${period}</th><td>${escapeHtml(p.planName)}</td><td>${escapeHtml(p.templateName)}</td><td>第${p.version}版</td><td>${escapeHtml(eraDayLabel(p.publishedAt))}</td></tr>`;
    });
    const table = rows.length
      ? `<div class="scroll" tabindex="0" role="region" aria-label="${escapeHtml(m.name)}の最近の公表"><table><caption>${escapeHtml(m.name)}の最近の公表</caption><thead><tr><th scope="col">期間</th><th scope="col">計画</th><th scope="col">様式</th><th scope="col">版</th><th scope="col">公表日</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>`
      : '<p>公表された計画はまだありません。</p>';
    const code = m.code ? `<p class="meta">地方公共団体コード ${escapeHtml(m.code)}${site ? '' : ' ／ 公開サイトのアドレスは登録されていません'}</p>` : '';
    return `<section aria-labelledby="municipality-${i}"><h2 id="municipality-${i}">${heading}</h2>\n${code}\n${table}</section>`;
  });
  return `<p>${escapeHtml(prefectureName)}内の市区町村が公表した計画の進捗状況へのご案内です。各市区町村の名前から、その市区町村の公開サイトを開けます。</p>
${sections.length ? sections.join('\n') : '<p>この団体に属する市区町村はありません。</p>'}`;
}
