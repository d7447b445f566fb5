import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse';
import { DomainError } from '@app/common';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** How big a table the import reads (AppConfig IMPORT_MAX_*); checked while reading, before anything is built. */
export interface TableLimits {
  /** Data rows (the header not counted); blank rows do not count. */
  rows: number;
  /** Columns, up to the header's last non-blank cell. */
  columns: number;
  /** Cells the file holds, blank ones included, wherever they are. */
  cells: number;
}

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

/**
 * Reads the first sheet (XLSX) or the CSV into rows of strings, as wide as the header. Both are
 * read as a stream, row by row, counting as they go: a file over a limit stops at the first row
 * past it (a 13 KB sheet with a cell at XFD1 once made the old reader walk 16,384 columns of
 * every row and take the api to a 4 GB heap). Cells right of the header are never kept.
 */
export async function readTable(file: UploadedTable, limits: TableLimits): Promise<string[][]> {
  if (file.buffer.length === 0) throw DomainError.invalid('file', 'ファイルが空です');
  if (file.buffer.length > MAX_IMPORT_BYTES) throw DomainError.invalid('file', 'ファイルが大きすぎます(上限 5 MB)');
  const format = detectFormat(file);
  if (format === 'xls') unsupportedXls();
  const table = new BoundedTable(limits);
  if (format === 'xlsx') await readXlsx(file.buffer, table);
  else await readCsv(file.buffer, table);
  return table.rows;
}

/**
 * The rows read so far, refusing the row, column or cell past a limit. Blank rows are kept
 * (errors name rows as numbered in the spreadsheet) but only non-blank ones count as rows; every
 * kept row costs the header's width in cells, so rows × width, the table built, stays bounded.
 */
class BoundedTable {
  readonly rows: string[][] = [];
  private width = 0;
  private cells = 0;
  private dataRows = 0;

  constructor(private readonly limits: TableLimits) {}

  /**
   * The next row: [column index from 0, text] of its cells in any order, and how many cells the
   * file has in it (blank ones too). number: its 1-based row number when rows may be missing
   * (XLSX leaves out empty rows); the gap is filled with blank rows.
   */
  add(cells: Iterable<[number, string]>, seen: number, number = this.rows.length + 1): void {
    while (this.rows.length + 1 < number) this.push([], 0);
    this.push(cells, seen);
  }

  private push(cells: Iterable<[number, string]>, seen: number): void {
    const header = this.rows.length === 0;
    this.charge(header ? seen : Math.max(seen, this.width));
    const row: string[] = header ? [] : new Array<string>(this.width).fill('');
    let blank = true;
    for (const [index, text] of cells) {
      if (text === '') continue;
      if (header) {
        if (index + 1 > this.limits.columns) {
          throw tooBig('列数', `${this.limits.columns.toLocaleString('ja-JP')}列`, { columns: index + 1 });
        }
        while (row.length < index) row.push('');
        row[index] = text;
      } else if (index < this.width) {
        row[index] = text;
      }
      blank = false;
    }
    if (header) {
      this.width = row.length;
      this.charge(this.width);
    } else if (!blank && ++this.dataRows > this.limits.rows) {
      throw tooBig('行数', `${this.limits.rows.toLocaleString('ja-JP')}行`, { rows: this.dataRows });
    }
    this.rows.push(row);
  }

  private charge(cells: number): void {
    this.cells += cells;
    if (this.cells > this.limits.cells) {
      throw tooBig('セル数', `${this.limits.cells.toLocaleString('ja-JP')}セル`, { cells: this.cells });
    }
  }
}

function tooBig(what: string, limit: string, details: Record<string, number>): DomainError {
  return new DomainError('invalid', `${what}が上限（${limit}）を超えています`, { field: 'file', limit, ...details });
}

function unsupportedXls(): never {
  throw DomainError.invalid('file', '旧形式の Excel (.xls) には対応していません。.xlsx または CSV (UTF-8) で保存してください');
}

async function readCsv(buffer: Buffer, table: BoundedTable): Promise<void> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw DomainError.invalid('file', 'CSV が UTF-8 ではありません。Excel では「CSV UTF-8」形式で保存してください');
  }
  const parser = Readable.from([text.replace(/^\uFEFF/u, '')]).pipe(parse({ relax_column_count: true, skip_empty_lines: true }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      table.add(
        record.map((text, index) => [index, text] as [number, string]),
        record.length,
      );
    }
  } catch (error) {
    parser.destroy();
    if (error instanceof DomainError) throw error;
    throw DomainError.invalid('file', `CSV を読み取れません: ${(error as Error).message}`);
  }
}

async function readXlsx(buffer: Buffer, table: BoundedTable): Promise<void> {
  // The streaming reader hands over one row at a time and keeps none; only the cells a row
  // really has are visited (row.eachCell skips the holes), never a sheet's full width.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buffer]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const cells: [number, string][] = [];
        row.eachCell({ includeEmpty: false }, (cell, column) => cells.push([column - 1, cell.text ?? '']));
        table.add(cells, cellsInFile(row), row.number);
      }
      break; // the first sheet only
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw DomainError.invalid('file', 'Excel ファイルを読み取れません(.xlsx 形式で保存してください)');
  }
  if (sheets === 0) throw DomainError.invalid('file', 'シートがありません');
}

/**
 * The cells the file has in a row, blank styled ones included: eachCell skips those, and
 * cellCount is the last column's number (16,384 for a cell at XFD), so count the sparse array.
 */
function cellsInFile(row: ExcelJS.Row): number {
  let n = 0;
  (row as unknown as { _cells: unknown[] })._cells.forEach(() => n++);
  return n;
}
