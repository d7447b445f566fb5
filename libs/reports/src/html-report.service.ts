import { Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { CYCLE_STATE_LABELS, ENTRY_STATE_LABELS, ENTRY_STATES, findOption } from '@app/domain';
import { eraDateLabel } from './domain/era-date';
import { escapeHtml, multiline } from './domain/html';
import { CompletenessService } from './completeness.service';
import { CycleContext, ReportDataService, ReportRow, ReportScope } from './report-data.service';
import { write } from './stream-write';
import { SummaryService } from './summary.service';

export interface HtmlReportOptions {
  /** The public page: accepted entries only, no workflow columns, no completeness, no names. */
  published: boolean;
  acceptedOnly: boolean;
  /** Whose entries are listed (the counts are the whole cycle's). */
  scope?: ReportScope;
}

const STYLE = `
  @page { size: A4; margin: 15mm 12mm; }
  * { box-sizing: border-box; }
  body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", sans-serif;
         font-size: 10pt; line-height: 1.5; color: #111; margin: 0; }
  h1 { font-size: 16pt; margin: 0 0 4mm; }
  h2 { font-size: 12pt; margin: 6mm 0 2mm; border-left: 4px solid #333; padding-left: 2mm; }
  .meta { margin: 0 0 4mm; color: #333; }
  table { width: 100%; border-collapse: collapse; }
  table.list { table-layout: fixed; word-break: break-word; }
  th, td { border: 1px solid #666; padding: 1mm 1.5mm; vertical-align: top; }
  th { background: #eee; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; break-inside: avoid; }
  td.num, th.num { text-align: right; white-space: nowrap; }
  td.sym { text-align: center; font-size: 12pt; white-space: nowrap; }
  table.summary { width: auto; min-width: 50%; }
  .note { font-size: 8pt; color: #444; }
  @media screen { body { max-width: 210mm; margin: 10mm auto; } }
`;

/** A printable cycle report (A4), streamed: header and summary first, then the list batch by batch. */
@Injectable()
export class HtmlReportService {
  constructor(
    private readonly data: ReportDataService,
    private readonly summary: SummaryService,
    private readonly completeness: CompletenessService,
  ) {}

  async write(ctx: CycleContext, out: Writable, opts: HtmlReportOptions): Promise<void> {
    const acceptedOnly = opts.published || opts.acceptedOnly;
    const summary = await this.summary.forCycle(ctx.cycle.id, acceptedOnly);
    const title = `${ctx.template.name} ${ctx.period.label} 取組状況`;
    const meta = [
      `対象期間: ${eraDateLabel(ctx.period.start)}～${eraDateLabel(ctx.period.end)}`,
      opts.published
        ? `公表日: ${eraDateLabel(ctx.cycle.publishedAt)}`
        : `状態: ${CYCLE_STATE_LABELS[ctx.cycle.state]} / 提出期限: ${eraDateLabel(ctx.cycle.submissionDeadline)} / 審査期限: ${eraDateLabel(ctx.cycle.reviewDeadline)}`,
    ];
    await write(
      out,
      `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${meta.map(escapeHtml).join('<br>')}</p>
<h2>評価の集計</h2>
<table class="summary"><thead><tr><th>評価</th><th class="num">件数</th></tr></thead><tbody>
${summary.ratings.map((r) => `<tr><td>${escapeHtml(`${r.symbol} ${r.label}`)}</td><td class="num">${r.count}</td></tr>`).join('\n')}
${summary.unrated ? `<tr><td>未評価</td><td class="num">${summary.unrated}</td></tr>` : ''}
<tr><th>合計</th><td class="num">${summary.total}</td></tr>
</tbody></table>
<p class="note">${acceptedOnly ? '※承認済の報告を集計しています。' : '※全ての報告を集計しています(未承認を含む)。'}</p>
`,
    );
    if (!opts.published) await write(out, await this.completenessTable(ctx.cycle.id, opts.scope ?? null));
    const headers = ['No.', '項目', '所管課', '評価', '進捗状況', '理由・今後の取組', ...(opts.published ? [] : ['状態'])];
    // Fixed widths so the symbol column never wraps and long texts get the room (A4 portrait).
    const widths = opts.published ? [7, 18, 11, 6, 34, 24] : [7, 16, 10, 6, 30, 21, 10];
    await write(
      out,
      `<h2>取組状況一覧</h2>\n<table class="list"><colgroup>${widths.map((w) => `<col style="width:${w}%">`).join('')}</colgroup>` +
        `<thead><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>\n`,
    );
    let chapter: string | null | undefined;
    for await (const batch of this.data.batches(ctx.cycle.id, { acceptedOnly, scope: opts.scope ?? null })) {
      const html: string[] = [];
      for (const row of batch) {
        if (row.chapter !== chapter && row.chapter) {
          html.push(`<tr><th colspan="${headers.length}" style="text-align:left">${escapeHtml(row.chapter)}</th></tr>`);
        }
        chapter = row.chapter;
        html.push(this.listRow(ctx, row, opts.published));
      }
      await write(out, html.join('\n'));
    }
    await write(out, `</tbody></table>\n<p class="note">評価の記号: ${ctx.scale.options.map((o) => escapeHtml(`${o.symbol} … ${o.label}`)).join(' ／ ')}</p>\n</body></html>\n`);
    out.end();
  }

  private listRow(ctx: CycleContext, r: ReportRow, published: boolean): string {
    const option = findOption(ctx.scale, r.rating);
    const no = r.subNumber ? `${r.number}-${r.subNumber}` : String(r.number);
    const notes = [r.reason ? `【理由】${r.reason}` : '', r.nextSteps ? `【今後の取組】${r.nextSteps}` : ''].filter(Boolean).join('\n');
    const cells = [
      `<td class="num">${escapeHtml(no)}</td>`,
      `<td>${escapeHtml(r.title)}</td>`,
      `<td>${escapeHtml(r.sectionName)}</td>`,
      `<td class="sym" title="${escapeHtml(option?.label ?? '')}">${escapeHtml(option?.symbol ?? r.rating ?? '')}</td>`,
      `<td>${multiline(r.progress)}</td>`,
      `<td>${multiline(notes)}</td>`,
      ...(published ? [] : [`<td>${escapeHtml(ENTRY_STATE_LABELS[r.state])}${r.acting ? '(代決)' : ''}</td>`]),
    ];
    return `<tr data-entry="${r.id}">${cells.join('')}</tr>`;
  }

  private async completenessTable(cycleId: number, scope: ReportScope): Promise<string> {
    const c = await this.completeness.forCycle(cycleId, undefined, scope);
    const head = ['課', ...ENTRY_STATES.map((s) => ENTRY_STATE_LABELS[s]), '計', '承認率'];
    const rows = c.sections.map(
      (s) =>
        `<tr><td>${escapeHtml(s.sectionName)}</td>${ENTRY_STATES.map((st) => `<td class="num">${s.counts[st]}</td>`).join('')}<td class="num">${s.total}</td><td class="num">${s.acceptedPercent}%</td></tr>`,
    );
    return `<h2>提出状況</h2>\n<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>\n`;
  }
}
