import { Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { CYCLE_STATE_LABELS, ENTRY_STATE_LABELS, ENTRY_STATES, optionText, PUBLIC_TERMS, TERMS } from '@app/domain';
import type { ColumnModel } from './columns/column-model';
import { viewEntry } from './columns/entry-view';
import { eraDateLabel } from './domain/era-date';
import { escapeHtml } from './domain/html';
import { departmentSheet } from './html/department-block';
import { listLayout } from './html/list-layout';
import { reportStyle } from './html/report-style';
import { entrySheet } from './html/sheet-layout';
import { CompletenessService } from './completeness.service';
import { CycleContext, ReportDataService, ReportRow, ReportScope, rowNeeds } from './report-data.service';
import { write } from './stream-write';
import { SummaryService } from './summary.service';

export interface HtmlReportOptions {
  /** The public page: accepted entries only, the form's fields without the workflow, no completeness. */
  published: boolean;
  acceptedOnly: boolean;
  /** Whose entries are listed (the counts are the whole cycle's). */
  scope?: ReportScope;
  /** The answer's CSP nonce: the page's one stylesheet carries it (no inline style attributes). */
  styleNonce?: string;
  /** A frozen publication: which version of the cycle's publications this page is. */
  version?: number;
}

/** Citizens read what the city reported; staff read their entries. */
const entryWord = (opts: HtmlReportOptions) => (opts.published ? PUBLIC_TERMS.entry : TERMS.entry);

/**
 * A printable cycle report (A4), streamed: header and summary first, then the entries batch by
 * batch, laid out as the cycle's form says: `list` (one table) or `sheet` (one page per entry).
 * When the form has department fields, entries come by department, each department's heading
 * (部長名, 基本方針, 総括) printed once before them.
 */
@Injectable()
export class HtmlReportService {
  constructor(
    private readonly data: ReportDataService,
    private readonly summary: SummaryService,
    private readonly completeness: CompletenessService,
  ) {}

  async write(ctx: CycleContext, out: Writable, opts: HtmlReportOptions): Promise<void> {
    const acceptedOnly = opts.published || opts.acceptedOnly;
    const model = await this.data.model(ctx, opts.published ? 'public' : 'internal');
    const sheet = ctx.template.layout === 'sheet';
    const byDepartment = model.parts.some((p) => p.kind === 'department');
    const list = listLayout(model, { byDepartment, filled: sheet ? undefined : await this.data.filledKeys(ctx.cycle.id, acceptedOnly) });
    await write(out, await this.head(ctx, opts, acceptedOnly, !sheet && list.landscape));
    if (!opts.published) await write(out, await this.completenessTable(ctx.cycle.id, opts.scope ?? null));

    const rows = this.data.batches(ctx.cycle.id, {
      acceptedOnly,
      scope: opts.scope ?? null,
      order: byDepartment ? 'department' : 'item',
      history: sheet && model.parts.some((p) => p.kind === 'attribute' && p.field.perYear),
      ...rowNeeds(model),
    });
    const count = sheet ? await this.sheets(model, rows, out, byDepartment) : await this.list(model, list, rows, out, byDepartment);
    if (count === 0) await write(out, `<p class="note">該当する${entryWord(opts)}はありません。</p>\n`);
    await write(
      out,
      `<p class="note">評価の記号: ${ctx.scale.options.map((o) => escapeHtml(`${o.symbol} … ${o.label}`)).join(' ／ ')}</p>\n</main></body></html>\n`,
    );
    out.end();
  }

  private async list(
    model: ColumnModel,
    list: ReturnType<typeof listLayout>,
    rows: AsyncIterable<ReportRow[]>,
    out: Writable,
    byDepartment: boolean,
  ): Promise<number> {
    await write(out, `<h2>取組状況一覧</h2>\n${list.open()}`);
    let chapter: string | null | undefined;
    let department: number | undefined;
    let count = 0;
    for await (const batch of rows) {
      const html: string[] = [];
      for (const row of batch) {
        const view = viewEntry(model.spec, row);
        if (byDepartment && row.departmentId !== department) {
          html.push(list.departmentRow(view));
          department = row.departmentId;
          chapter = undefined;
        }
        if (row.chapter !== chapter && row.chapter) html.push(list.groupRow(row.chapter));
        chapter = row.chapter;
        html.push(list.row(view));
        count++;
      }
      await write(out, html.join('\n'));
    }
    await write(out, list.close());
    return count;
  }

  private async sheets(model: ColumnModel, rows: AsyncIterable<ReportRow[]>, out: Writable, byDepartment: boolean): Promise<number> {
    let department: number | undefined;
    let count = 0;
    for await (const batch of rows) {
      const html: string[] = [];
      for (const row of batch) {
        const view = viewEntry(model.spec, row);
        if (byDepartment && row.departmentId !== department) {
          html.push(departmentSheet(model, view));
          department = row.departmentId;
        }
        html.push(entrySheet(model, view, { departmentInBlock: byDepartment }));
        count++;
      }
      await write(out, html.join(''));
    }
    return count;
  }

  private async head(ctx: CycleContext, opts: HtmlReportOptions, acceptedOnly: boolean, landscape: boolean): Promise<string> {
    const summary = await this.summary.forCycle(ctx.cycle.id, acceptedOnly, opts.scope ?? null);
    const title = `${ctx.template.name} ${ctx.period.label} 取組状況`;
    const meta = [
      `対象期間: ${eraDateLabel(ctx.period.start)}～${eraDateLabel(ctx.period.end)}`,
      opts.published
        ? `${opts.version ? `第${opts.version}版 ` : ''}公表日: ${eraDateLabel(ctx.cycle.publishedAt)}`
        : `状態: ${CYCLE_STATE_LABELS[ctx.cycle.state]} / 提出期限: ${eraDateLabel(ctx.cycle.submissionDeadline)} / ${TERMS.reviewDeadline}: ${eraDateLabel(ctx.cycle.reviewDeadline)}`,
    ];
    return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style${opts.styleNonce ? ` nonce="${escapeHtml(opts.styleNonce)}"` : ''}>${reportStyle({ landscape })}</style></head><body><main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${meta.map(escapeHtml).join('<br>')}</p>
<h2>評価の集計</h2>
<table class="summary"><thead><tr><th>評価</th><th class="num">件数</th></tr></thead><tbody>
${summary.ratings.map((r) => `<tr><td>${escapeHtml(optionText(r))}</td><td class="num">${r.count}</td></tr>`).join('\n')}
${summary.unrated ? `<tr><td>未評価</td><td class="num">${summary.unrated}</td></tr>` : ''}
<tr><th>合計</th><td class="num">${summary.total}</td></tr>
</tbody></table>
<p class="note">${acceptedOnly ? `※承認済の${entryWord(opts)}を集計しています。` : `※全ての${entryWord(opts)}を集計しています(未承認を含む)。`}</p>
`;
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
