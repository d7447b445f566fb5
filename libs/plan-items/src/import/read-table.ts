import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { DomainError } from '@app/common';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 10_000;

export interface UploadedTable {
  originalname?: string;
  mimetype?: string;
  buffer: Buffer;
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What the upload is, from its first bytes first (browsers send odd mimetypes), then its name. */
export function detectFormat(file: UploadedTable): 'xlsx' | 'csv' | 'xls' {
  const b = file.buffer;
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'xlsx';
  if (b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) return 'xls';
  const name = (file.originalname ?? '').toLowerCase();
  if (name.endsWith('.xlsx') || file.mimetype === XLSX_MIME) return 'xlsx';
  return 'csv';
}

/** Reads the first sheet (XLSX) or the CSV into rows of trimmed-later strings. */
export async function readTable(file: UploadedTable): Promise<string[][]> {
  if (file.buffer.length === 0) throw DomainError.invalid('file', 'ファイルが空です');
  if (file.buffer.length > MAX_IMPORT_BYTES) throw DomainError.invalid('file', 'ファイルが大きすぎます(上限 5 MB)');
  const format = detectFormat(file);
  const rows = format === 'xlsx' ? await readXlsx(file.buffer) : format === 'csv' ? readCsv(file.buffer) : unsupportedXls();
  if (rows.length - 1 > MAX_IMPORT_ROWS) {
    throw DomainError.invalid('file', `行数が多すぎます(上限 ${MAX_IMPORT_ROWS.toLocaleString('ja-JP')} 行)`, { rows: rows.length - 1 });
  }
  return rows;
}

function unsupportedXls(): never {
  throw DomainError.invalid('file', '旧形式の Excel (.xls) には対応していません。.xlsx または CSV (UTF-8) で保存してください');
}

function readCsv(buffer: Buffer): string[][] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw DomainError.invalid('file', 'CSV が UTF-8 ではありません。Excel では「CSV UTF-8」形式で保存してください');
  }
  try {
    return parse(text.replace(/^\uFEFF/u, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw DomainError.invalid('file', `CSV を読み取れません: ${(error as Error).message}`);
  }
}

async function readXlsx(buffer: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw DomainError.invalid('file', 'Excel ファイルを読み取れません(.xlsx 形式で保存してください)');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw DomainError.invalid('file', 'シートがありません');
  if (sheet.rowCount - 1 > MAX_IMPORT_ROWS) {
    throw DomainError.invalid('file', `行数が多すぎます(上限 ${MAX_IMPORT_ROWS.toLocaleString('ja-JP')} 行)`, { rows: sheet.rowCount - 1 });
  }
  const rows: string[][] = [];
  const width = sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(row.getCell(c).text ?? '');
    rows.push(cells);
  }
  return rows;
}
