import { eraShortYear, eraYearLabel } from '@app/domain';
import { escapeHtml } from '@app/reports';
import type { KpiSeries } from '../domain/item-history';

const W = 520;
const H = 240;
const PAD = { left: 56, right: 16, top: 24, bottom: 40 };

/**
 * A KPI's targets and actuals by fiscal year: an SVG bar chart (no script) beside the same
 * figures as a table. Target bars are hollow with a dashed outline, actual bars solid, each
 * labelled with its value, so the chart reads without telling colours apart; the table is the
 * accessible source of the figures (the SVG is an image described by its title).
 */
export function kpiChartHtml(s: KpiSeries, index: number): string {
  const table = `<table><caption>${escapeHtml(s.name)}(${escapeHtml(s.sectionName)})の目標と実績</caption><thead><tr><th scope="col">年度</th><th scope="col">目標</th><th scope="col">実績</th><th scope="col">達成率</th></tr></thead><tbody>${s.years
    .map(
      (y) =>
        `<tr><th scope="row">${escapeHtml(eraYearLabel(y.fiscalYear))}</th><td class="num">${escapeHtml(valueText(y.target, s))}</td><td class="num">${escapeHtml(valueText(y.actual, s))}</td><td class="num">${escapeHtml(y.rate)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  const numeric = s.kind === 'numeric' && s.years.some((y) => typeof y.target === 'number' || typeof y.actual === 'number');
  return `<div class="chart">${numeric ? svg(s, index) : ''}<div>${table}</div></div>`;
}

function valueText(v: number | string | null, s: KpiSeries): string {
  if (v === null || v === '') return '—';
  return typeof v === 'number' ? `${v.toLocaleString('ja-JP', { maximumFractionDigits: 6 })}${s.unit}` : String(v);
}

function svg(s: KpiSeries, index: number): string {
  const nums = s.years.flatMap((y) => [y.target, y.actual]).filter((v): v is number => typeof v === 'number');
  const max = Math.max(1, ...nums);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const group = plotW / Math.max(1, s.years.length);
  const bar = Math.min(40, group / 3);
  const y = (v: number) => PAD.top + plotH - (Math.max(0, v) / max) * plotH;
  const parts: string[] = [];
  for (const [i, p] of s.years.entries()) {
    const x0 = PAD.left + i * group + group / 2 - bar;
    for (const [j, v] of [p.target, p.actual].entries()) {
      if (typeof v !== 'number') continue;
      const x = x0 + j * bar;
      const top = y(v);
      parts.push(
        j === 0
          ? `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(PAD.top + plotH - top).toFixed(1)}" fill="#ffffff" stroke="#1a1a1a" stroke-width="1.5" stroke-dasharray="4 2"/>`
          : `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(PAD.top + plotH - top).toFixed(1)}" fill="#0b3a66"/>`,
        `<text x="${(x + bar / 2 - 1).toFixed(1)}" y="${(top - 4).toFixed(1)}" font-size="11" text-anchor="middle" fill="#1a1a1a">${escapeHtml(v.toLocaleString('ja-JP', { maximumFractionDigits: 2 }))}</text>`,
      );
    }
    parts.push(
      `<text x="${(PAD.left + i * group + group / 2).toFixed(1)}" y="${H - PAD.bottom + 18}" font-size="12" text-anchor="middle" fill="#1a1a1a">${escapeHtml(eraShortYear(p.fiscalYear))}</text>`,
    );
  }
  const id = `kpi-${index}`;
  return `<svg role="img" aria-labelledby="${id}-t" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-t">${escapeHtml(s.name)}の年度別の目標(点線の枠)と実績(塗りつぶし)。数値は右の表のとおり。</title>
<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${W - PAD.right}" y2="${PAD.top + plotH}" stroke="#1a1a1a"/>
<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#1a1a1a"/>
<text x="${PAD.left - 6}" y="${PAD.top + 4}" font-size="11" text-anchor="end" fill="#1a1a1a">${escapeHtml(max.toLocaleString('ja-JP', { maximumFractionDigits: 2 }))}</text>
<text x="${PAD.left - 6}" y="${PAD.top + plotH}" font-size="11" text-anchor="end" fill="#1a1a1a">0</text>
<text x="${PAD.left}" y="14" font-size="11" fill="#1a1a1a">単位: ${escapeHtml(s.unit || 'なし')} ／ 点線の枠 = 目標、塗りつぶし = 実績</text>
${parts.join('\n')}
</svg>`;
}
