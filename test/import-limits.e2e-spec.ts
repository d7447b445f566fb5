import ExcelJS from 'exceljs';
import { createTestApp, TestApp } from './utils/test-app';
import { build } from './utils/builder';
import { bearer, createDepartment, createSection, userWithToken } from './utils/factories';

const HEADER = ['番号', '枝番', '章', '分類', '名称', '内容', '目標期日', '所管課', '指標', '単位'];
/** Generous: the streaming reader grows about 40 MB on the 100,000-row file; the old one grew 420 MB there and went out of heap on the crafted one. */
const RSS_GROWTH_LIMIT_MB = 200;

/**
 * Finding 2: a 13 KB XLSX with 1,500 rows and one cell at XFD1 took the api to a 4 GB heap (the
 * reader walked all 16,384 columns of every row). Reading is now bounded in rows, columns and
 * cells while streaming; past a limit, 422 names it. Memory is measured in this process (the api
 * runs in it) by sampling RSS while the upload is handled.
 */
describe('item import limits (e2e)', () => {
  let t: TestApp;
  let planning: { id: number; token: string };
  let planId: number;

  beforeAll(async () => {
    t = await createTestApp({ IMPORT_MAX_ROWS: '5000', IMPORT_MAX_COLUMNS: '100', IMPORT_MAX_CELLS: '200000' });
    const dept = await createDepartment(t);
    await createSection(t, { departmentId: dept, code: 's01', name: '学校教育課' });
    planning = await userWithToken(t, { login: 'planning', roles: ['planning'] });
    planId = await build(t).plan({ code: 'p', name: '計画', kind: 'program' });
  });
  afterAll(() => t?.close());

  const upload = (buffer: Buffer, filename: string) =>
    t.http().post(`/api/plans/${planId}/items/import`).set(bearer(planning.token)).attach('file', buffer, { filename });

  /** The upload's response and how far RSS rose above where it was before, in MB. */
  async function measured(send: () => Promise<{ status: number; body: Record<string, unknown> }>) {
    global.gc?.();
    const start = process.memoryUsage().rss;
    let peak = start;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      const res = await send();
      peak = Math.max(peak, process.memoryUsage().rss);
      return { res, growthMb: (peak - start) / 1024 / 1024 };
    } finally {
      clearInterval(timer);
    }
  }

  /** 1,500 rows and one cell far right: at XFD1 (in the header) or XFD<row>; items: rows that import. */
  async function workbook(farCell: string, items = false): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('items');
    sheet.addRow(HEADER);
    for (let i = 1; i <= 1500; i++) sheet.addRow(items ? [i, '', '', '', `項目${i}`, '', '', '学校教育課', '', ''] : [i]);
    sheet.getCell(farCell).value = 'x';
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('answers 422 naming the column limit for the 13 KB workbook with a cell at XFD1, in bounded memory', async () => {
    const file = await workbook('XFD1');
    expect(file.length).toBeLessThan(25_000); // exceljs writes about 19 KB; the reported file was 13 KB
    const { res, growthMb } = await measured(() => upload(file, 'crafted.xlsx'));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ field: 'file', message: '列数が上限（100列）を超えています' });
    expect(growthMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM plan_items`);
    expect(n).toBe(0);
  });

  it('imports the same rows with the far cell in a data row (cells right of the header are not read)', async () => {
    const file = await workbook('XFD5', true);
    const { res, growthMb } = await measured(() => upload(file, 'far.xlsx'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 1500, total: 1500 });
    expect(growthMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);
  }, 120_000);

  it('answers 422 naming the row limit for a 100,000-row XLSX and CSV, in bounded memory', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('items');
    sheet.addRow(HEADER);
    for (let i = 1; i <= 100_000; i++) sheet.addRow([i, '', '', '', `項目${i}`, '', '', '学校教育課', '', '']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const big = await measured(() => upload(xlsx, 'big.xlsx'));
    expect(big.res.status).toBe(422);
    expect(big.res.body).toMatchObject({ field: 'file', message: '行数が上限（5,000行）を超えています' });
    expect(big.growthMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);

    const csv = [HEADER.join(','), ...Array.from({ length: 100_000 }, (_, i) => `${i + 1},,,,t,,,学校教育課,,`)].join('\n');
    expect(csv.length).toBeLessThan(5 * 1024 * 1024);
    const text = await measured(() => upload(Buffer.from(csv), 'big.csv'));
    expect(text.res.status).toBe(422);
    expect(text.res.body).toMatchObject({ field: 'file', message: '行数が上限（5,000行）を超えています' });
    expect(text.growthMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);
  }, 120_000);

  it('answers 422 naming the cell limit for rows and rows of blank cells, and the column limit for a wide CSV header', async () => {
    // 4,000 rows (under the row limit) × 60 columns = 240,000 cells > 200,000.
    const wide = [...HEADER, ...Array.from({ length: 50 }, (_, i) => `列${i}`)];
    const rows = [wide.join(','), ...Array.from({ length: 4000 }, (_, i) => `${i + 1},,,,t,,,学校教育課` + ','.repeat(52))].join('\n');
    const cells = await upload(Buffer.from(rows), 'cells.csv').expect(422);
    expect(cells.body).toMatchObject({ field: 'file', message: 'セル数が上限（200,000セル）を超えています' });
    const header = [Array.from({ length: 101 }, (_, i) => `列${i}`).join(','), '1'].join('\n');
    const columns = await upload(Buffer.from(header), 'columns.csv').expect(422);
    expect(columns.body).toMatchObject({ field: 'file', message: '列数が上限（100列）を超えています' });
  });
});
