import ExcelJS from 'exceljs';
import { createTestApp, TestApp } from './utils/test-app';
import { bearer, createDepartment, createSection, userWithToken } from './utils/factories';

const HEADER = ['番号', '枝番', '章', '分類', '名称', '内容', '目標期日', '所管課', '指標', '単位'];
const csv = (rows: string[][]) => rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');

describe('item import (e2e)', () => {
  let t: TestApp;
  let planning: { id: number; token: string };
  let staff: { id: number; token: string };
  let planId: number;
  let a: number;
  let b: number;

  beforeAll(async () => {
    t = await createTestApp();
    const dept = await createDepartment(t);
    a = await createSection(t, { departmentId: dept, code: 's01', name: '学校教育課' });
    b = await createSection(t, { departmentId: dept, code: 's02', name: '教育総務課' });
    planning = await userWithToken(t, { login: 'planning', roles: ['planning'] });
    staff = await userWithToken(t, { login: 'staff', roles: ['staff'], sectionId: a });
    const [plan] = await t.db.query(`INSERT INTO plans (code, name, kind) VALUES ('p', '計画', 'program') RETURNING id`);
    planId = plan.id;
  });
  afterAll(() => t.close());

  const upload = (token: string, buffer: Buffer, filename: string, contentType?: string) =>
    t.http().post(`/api/plans/${planId}/items/import`).set(bearer(token)).attach('file', buffer, { filename, contentType });
  const items = () =>
    t.db.query(
      `SELECT i.number, i.sub_number, i.title, i.target_date_text, i.version,
              array_agg(pis.section_id ORDER BY pis.sort) AS sections
         FROM plan_items i JOIN plan_item_sections pis ON pis.item_id = i.id
        WHERE i.plan_id = $1 GROUP BY i.id ORDER BY i.number, i.sub_number`,
      [planId],
    );

  it('rejects a file with bad rows: 422 with every row error, nothing stored', async () => {
    const file = csv([
      HEADER,
      ['1', '', '', '', '修学旅行無料化', '', '調整中', '学校教育課・教育総務課', '', ''],
      ['x', '', '', '', '', '', '', 'X課', '', ''],
      ['2', '', '', '', '給食', '', '', '', '', ''],
    ]);
    const res = await upload(planning.token, Buffer.from(file, 'utf8'), 'items.csv', 'text/csv').expect(422);
    expect(res.body.message).toBe('2 行に誤りがあるため、取り込みませんでした');
    expect(res.body.errors).toEqual([
      { row: 3, field: '番号', message: '番号「x」は1以上の整数で入力してください' },
      { row: 3, field: '名称', message: '名称は必須です' },
      { row: 3, field: '所管課', message: '課「X課」が見つかりません' },
      { row: 4, field: '所管課', message: '所管課は必須です' },
    ]);
    expect(await items()).toEqual([]);
  });

  it('imports a UTF-8 CSV with BOM and updates on a second import (upsert by number and sub-number)', async () => {
    const first = csv([
      HEADER,
      ['1', '', '第1章', '教育', '修学旅行無料化', '小中学校の修学旅行を無償化', '調整中', '学校教育課・教育総務課', '実施校数', '校'],
      ['2', '①', '', '', '給食費', '', '未定', 's02', '', ''],
      ['2', '②', '', '', '給食食材', '', '', '教育総務課\n学校教育課', '', ''],
    ]);
    const res = await upload(planning.token, Buffer.from('\uFEFF' + first, 'utf8'), 'items.csv', 'text/csv').expect(200);
    expect(res.body).toEqual({ created: 3, updated: 0, total: 3 });
    expect(await items()).toEqual([
      { number: 1, sub_number: '', title: '修学旅行無料化', target_date_text: '調整中', version: 1, sections: [a, b] },
      { number: 2, sub_number: '①', title: '給食費', target_date_text: '未定', version: 1, sections: [b] },
      { number: 2, sub_number: '②', title: '給食食材', target_date_text: null, version: 1, sections: [b, a] },
    ]);
    const [kpi] = await t.db.query(`SELECT name, unit FROM plan_item_kpis`);
    expect(kpi).toEqual({ name: '実施校数', unit: '校' });

    const second = csv([['number', 'subNumber', 'title', 'sections'], ['1', '', '修学旅行の無料化', '学校教育課'], ['3', '', '新規', '学校教育課']]);
    const again = await upload(planning.token, Buffer.from(second, 'utf8'), 'english.csv').expect(200);
    expect(again.body).toEqual({ created: 1, updated: 1, total: 2 });
    const rows = await items();
    expect(rows[0]).toEqual({ number: 1, sub_number: '', title: '修学旅行の無料化', target_date_text: null, version: 2, sections: [a] });
    expect(rows.map((r: { number: number }) => r.number)).toEqual([1, 2, 2, 3]);
    const audits = await t.db.query(`SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE '%import%' GROUP BY action ORDER BY action`);
    expect(audits).toEqual([
      { action: 'item.import.create', n: 4 },
      { action: 'item.import.update', n: 1 },
      { action: 'plan.import', n: 2 },
    ]);
    // The imported items are what planning sees through the api.
    const list = await t.http().get(`/api/plans/${planId}/items`).set(bearer(planning.token)).expect(200);
    expect(list.body.map((i: { title: string }) => i.title)).toEqual(['修学旅行の無料化', '給食費', '給食食材', '新規']);
  });

  it('imports an XLSX built with exceljs', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('項目');
    sheet.addRow(HEADER);
    sheet.addRow([10, '', '第2章', '', 'エアコン設置', '体育館', 'R7.3', '学校教育課、教育総務課', '', '']);
    sheet.addRow([11, '', '', '', '防犯カメラ', '', '', 's01', '設置校数', '校']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    // Sent with a generic mimetype and no extension: detected by its magic bytes.
    const res = await upload(planning.token, buffer, 'upload', 'application/octet-stream').expect(200);
    expect(res.body).toEqual({ created: 2, updated: 0, total: 2 });
    const rows = (await items()).filter((r: { number: number }) => r.number >= 10);
    expect(rows).toEqual([
      { number: 10, sub_number: '', title: 'エアコン設置', target_date_text: 'R7.3', version: 1, sections: [a, b] },
      { number: 11, sub_number: '', title: '防犯カメラ', target_date_text: null, version: 1, sections: [a] },
    ]);
  });

  it('rejects a bad XLSX row with its row number', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('項目');
    sheet.addRow(HEADER);
    sheet.addRow([20, '', '', '', 'ok', '', '', '学校教育課', '', '']);
    sheet.addRow([21, '', '', '', 'ng', '', '', '存在しない課', '', '']);
    const res = await upload(planning.token, Buffer.from(await workbook.xlsx.writeBuffer()), 'items.xlsx').expect(422);
    expect(res.body.errors).toEqual([{ row: 3, field: '所管課', message: '課「存在しない課」が見つかりません' }]);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM plan_items WHERE number IN (20, 21)`);
    expect(count).toBe(0);
  });

  it('gives clear errors for a missing file, a missing column, Shift_JIS, too many rows, too large a file, and staff', async () => {
    const none = await t.http().post(`/api/plans/${planId}/items/import`).set(bearer(planning.token)).expect(400);
    expect(none.body.field).toBe('file');
    const noColumn = await upload(planning.token, Buffer.from('番号,名称\n1,x\n'), 'a.csv').expect(422);
    expect(noColumn.body.errors).toEqual([{ row: 1, field: '所管課', message: '列「所管課」がありません' }]);
    const sjis = await upload(planning.token, Buffer.from([0x94, 0xd4, 0x8d, 0x86, 0x0a]), 'sjis.csv').expect(422);
    expect(sjis.body.message).toMatch(/UTF-8/);
    const many = [HEADER.join(','), ...Array.from({ length: 10_001 }, (_, i) => `${i + 1},,,,t,,,学校教育課,,`)].join('\n');
    const tooMany = await upload(planning.token, Buffer.from(many), 'many.csv').expect(422);
    expect(tooMany.body.message).toMatch(/行数が多すぎます/);
    const big = await upload(planning.token, Buffer.alloc(5 * 1024 * 1024 + 10, 0x61), 'big.csv').expect(413);
    expect(big.body.message).toMatch(/5 MB/);
    await upload(staff.token, Buffer.from(csv([HEADER])), 'a.csv').expect(403);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM plan_items WHERE plan_id = $1`, [planId]);
    expect(count).toBe(6);
  });

  it('serves an import template with the Japanese header', async () => {
    const res = await t.http().get(`/api/plans/${planId}/items/import-template.csv`).set(bearer(planning.token)).expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.text.startsWith('\uFEFF番号,枝番,章,分類,名称,内容,目標期日,所管課,指標,単位')).toBe(true);
  });
});
