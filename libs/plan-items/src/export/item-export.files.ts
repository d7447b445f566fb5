import ExcelJS from 'exceljs';
import { csvLine, neutraliseFormula, UTF8_BOM } from '@app/common';
import type { ExportCell, ExportTable } from './item-export.table';

/**
 * The export table as the files the import reads. CSV: UTF-8 with BOM, CRLF, text cells that
 * start with = + - @ defused with an apostrophe (the import takes it off again); numbers as
 * written. XLSX: one sheet 項目, numbers as numbers and text as text cells (never formulas),
 * the header frozen.
 */

export function itemExportCsv(table: ExportTable): string {
  const line = (cells: readonly ExportCell[]) => csvLine(cells.map((c) => (typeof c === 'string' ? neutraliseFormula(c) : c)));
  return UTF8_BOM + line(table.header) + table.rows.map(line).join('');
}

const WIDTHS: Record<string, number> = { 番号: 6, 枝番: 6, 名称: 40, 内容: 50, 所管課: 24 };

export async function itemExportXlsx(table: ExportTable, title: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '評価サイクル';
  workbook.created = new Date();
  workbook.title = title;
  const sheet = workbook.addWorksheet('項目', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.header.map((h) => ({ width: WIDTHS[h] ?? Math.min(30, Math.max(10, [...h].length * 2)) }));
  const head = sheet.addRow(table.header);
  head.font = { bold: true };
  for (const cells of table.rows) {
    // exceljs writes a JS string as a text cell (a formula only from { formula }), a number as a number.
    const row = sheet.addRow(cells.map((c) => (c === null ? null : c)));
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
