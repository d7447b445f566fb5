import { Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { EntryViewsService } from '@app/entries';
import { Actor, ENTRY_STATE_LABELS, ENTRY_STATES, eraYearLabel, TERMS } from '@app/domain';
import { CompletenessService } from './completeness.service';
import { rowCells } from './columns/entry-view';
import { ReportDataService, ReportScope, rowNeeds } from './report-data.service';
import { drained } from './stream-write';
import { SummaryService } from './summary.service';

type Sheet = ExcelJS.Worksheet;

const HEADER_FONT = { bold: true };
/**
 * One style object for every cell of the list: exceljs looks a style up by the object's identity
 * before it serialises it to find its id, and `row.alignment = …` gives each cell a style object
 * of its own (50,000 rows × every column serialised once each).
 */
const WRAP_STYLE: Partial<ExcelJS.Style> = { alignment: { wrapText: true, vertical: 'top' } };

/**
 * Lets the zip stream flush what was committed before the next batch is read and, while the
 * client is slower than the export (a city hall's network), waits for the response to drain:
 * exceljs ignores its zip's backpressure, so the rows would pile up in memory instead.
 */
async function yieldToIo(out: Writable): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await drained(out);
}

/**
 * Spreadsheet exports with exceljs' streaming writer: rows are committed as each batch is
 * read, so memory stays flat whatever the size of the cycle.
 */
@Injectable()
export class XlsxExportService {
  constructor(
    private readonly data: ReportDataService,
    private readonly summary: SummaryService,
    private readonly completeness: CompletenessService,
    private readonly views: EntryViewsService,
  ) {}

  /** 一覧 (every entry), 集計 (rating counts), 提出状況 (completeness per section). */
  async writeCycle(cycleId: number, out: Writable, acceptedOnly: boolean, scope: ReportScope = null): Promise<void> {
    const ctx = await this.data.context(cycleId);
    const workbook = this.workbook(out);
    workbook.title = ctx.cycle.label;

    // The list's columns are the cycle's form (columns/column-model.ts): the header row is exactly them.
    const model = await this.data.model(ctx, 'internal');
    const list = addSheet(
      workbook,
      '一覧',
      model.columns.map((c) => c.width),
    );
    header(
      list,
      model.columns.map((c) => c.header),
    );
    for await (const batch of this.data.batches(cycleId, { acceptedOnly: false, scope, ...rowNeeds(model) })) {
      for (const row of batch) {
        const r = list.addRow(rowCells(model, row));
        r.eachCell({ includeEmpty: true }, (cell) => {
          cell.style = WRAP_STYLE;
        });
        r.commit();
      }
      await yieldToIo(out);
    }
    list.commit();

    const summary = await this.summary.forCycle(cycleId, acceptedOnly, scope);
    const counts = addSheet(workbook, '集計', [10, 24, 10, 10]);
    header(counts, ['評価', '区分', '件数', '割合(%)']);
    const share = (n: number) => (summary.total ? Math.round((n / summary.total) * 1000) / 10 : 0);
    for (const r of summary.ratings) counts.addRow([r.symbol, r.label, r.count, share(r.count)]).commit();
    if (summary.unrated) counts.addRow(['', '未評価', summary.unrated, share(summary.unrated)]).commit();
    if (summary.unknown) counts.addRow(['', '尺度外の評価', summary.unknown, share(summary.unknown)]).commit();
    counts.addRow(['合計', '', summary.total, summary.total ? 100 : 0]).commit();
    counts.addRow([acceptedOnly ? `※承認済の${TERMS.entry}のみ集計` : `※全ての${TERMS.entry}を集計`]).commit();
    counts.commit();

    const c = await this.completeness.forCycle(cycleId, undefined, scope);
    const states = ENTRY_STATES;
    const status = addSheet(workbook, '提出状況', [16, 18, ...states.map(() => 8), 8, 10, 20]);
    header(status, ['部', '課', ...states.map((s) => ENTRY_STATE_LABELS[s]), '計', '承認率(%)', '課長']);
    for (const s of c.sections) {
      status.addRow([s.departmentName, s.sectionName, ...states.map((st) => s.counts[st]), s.total, s.acceptedPercent, s.chiefs.join('、')]).commit();
    }
    status.addRow(['合計', '', ...states.map((st) => c.total.counts[st]), c.total.total, c.total.acceptedPercent, '']).commit();
    status.commit();

    await workbook.commit();
  }

  /** 進捗一覧: items × periods with the rating symbols, as in the monthly pledge report. */
  async writeMatrix(templateId: number, fiscalYear: number | undefined, actor: Actor, out: Writable): Promise<void> {
    const matrix = await this.views.matrix(templateId, fiscalYear, actor);
    const workbook = this.workbook(out);
    const sheet = addSheet(workbook, '進捗一覧', [6, 6, 40, 16, ...matrix.columns.map(() => 10)]);
    const title = fiscalYear ? eraYearLabel(fiscalYear) : '';
    header(sheet, ['No.', '枝番', '項目', '所管課', ...matrix.columns.map((c) => (fiscalYear ? c.label : `${c.label}(${c.periodKey})`))]);
    for (const r of matrix.rows) {
      sheet.addRow([r.number, r.subNumber, r.title, r.sectionName, ...r.cells.map((cell) => cell.symbol)]).commit();
    }
    sheet.commit();
    const legend = addSheet(workbook, '凡例', [10, 30]);
    header(legend, ['記号', '意味']);
    for (const o of matrix.template.scale.options) legend.addRow([o.symbol, o.label]).commit();
    legend.addRow([title ? `${matrix.template.name} ${title}` : matrix.template.name]).commit();
    legend.commit();
    await workbook.commit();
  }

  private workbook(out: Writable) {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    workbook.creator = '評価サイクル';
    workbook.created = new Date();
    return workbook;
  }
}

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, widths: number[]): Sheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = widths.map((width) => ({ width }));
  return sheet;
}

function header(sheet: Sheet, titles: string[]): void {
  const row = sheet.addRow(titles);
  row.font = HEADER_FONT;
  row.commit();
}
