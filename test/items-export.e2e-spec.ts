import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import type { Response } from 'supertest';
import { SDGS_OPTIONS } from '@app/domain';
import { bearer, createDepartment, createSection, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/** Collects a response body as bytes whatever its content type. */
function binary(res: Response & { setEncoding?: unknown }, callback: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/**
 * Export → edit → import: a program evaluation plan with a per-year money attribute, a
 * multi-choice and a short text; items with several sections, an evaluator and two KPIs (a
 * milestone and a lower-is-better one) with targets for two years. The CSV and the XLSX have
 * the import's columns; imported unchanged they change nothing (same versions, same KPI ids,
 * no audit record of an item); one edited cell changes only that.
 */
describe('item export (e2e)', () => {
  let t: TestApp;
  let planning: { id: number; token: string };
  let evaluator: { id: number; token: string };
  let staff: { id: number; token: string };
  let planId: number;
  let a: number;
  let b: number;
  let c: number;
  const ids: number[] = [];

  const HEADER = [
    '番号',
    '枝番',
    '章',
    '分類',
    '名称',
    '内容',
    '目標期日',
    '所管課',
    '評価者',
    '予算額(千円)',
    '指標1',
    '指標1の単位',
    '指標1の種類',
    '指標1の方向',
    '指標1の目標(令和6年度)',
    '指標1の目標(令和7年度)',
    '指標2',
    '指標2の単位',
    '指標2の種類',
    '指標2の方向',
    '指標2の目標(令和6年度)',
    '指標2の目標(令和7年度)',
    '根拠法令',
    '予算額(令和6年度)',
    '予算額(令和7年度)',
    'SDGs',
  ];
  const col = (header: string) => HEADER.indexOf(header);

  beforeAll(async () => {
    t = await createTestApp();
    const dept = await createDepartment(t, { code: 'kodomo', name: 'こども未来部' });
    a = await createSection(t, { departmentId: dept, code: 'kodomo-shien', name: 'こども支援課' });
    b = await createSection(t, { departmentId: dept, code: 'hoiku', name: '保育幼稚園課' });
    // A name with ・ would split in a 所管課 cell: the export writes its code.
    c = await createSection(t, { departmentId: dept, code: 'wakamono', name: '子育て・若者課' });
    planning = await userWithToken(t, { login: 'planning', roles: ['planning'] });
    evaluator = await userWithToken(t, { login: 'eval-kodomo', roles: ['evaluator'] });
    staff = await userWithToken(t, { login: 'staff', roles: ['staff'], sectionId: a });
    const plan = await t
      .http()
      .post('/api/plans')
      .set(bearer(planning.token))
      .send({
        code: 'jimu-r6',
        name: '令和6年度 事務事業評価',
        kind: 'evaluation',
        itemFields: [
          { key: 'legalBasis', label: '根拠法令', type: 'short_text' },
          { key: 'budget', label: '予算額', type: 'money', unit: '千円', perYear: true },
          { key: 'sdgs', label: 'SDGs', type: 'multi_choice', options: SDGS_OPTIONS, maxSelections: 3 },
        ],
      })
      .expect(201);
    planId = plan.body.id;
    const create = async (body: object) =>
      ids.push((await t.http().post(`/api/plans/${planId}/items`).set(bearer(planning.token)).send(body).expect(201)).body.id);
    await create({
      number: 1,
      chapter: '第2章 子育て',
      title: '放課後児童クラブ運営事業',
      content: '児童クラブを運営する\n待機児童を解消する',
      targetDateText: 'R7.3',
      sections: [{ sectionId: a, content: '運営' }, { sectionId: b }, { sectionId: c }],
      evaluatorUserId: evaluator.id,
      budgetThousandYen: 120000,
      attributes: { legalBasis: '児童福祉法', budget: { '2024': 12345, '2025': 13000 }, sdgs: ['3', '4'] },
      kpis: [
        { name: '待機児童数', unit: '人', direction: 'lower', targets: { '2024': 10, '2025': 5 } },
        { name: '運営方針の策定', kind: 'milestone', targets: { '2024': '策定完了', '2025': '公表' } },
      ],
    });
    await create({
      number: 2,
      subNumber: '①',
      category: '子育て, 地域',
      title: '地域子育て支援拠点事業',
      content: '-地域と協議する', // a leading - is defused in the CSV and read back as written
      sections: [{ sectionId: b }],
      kpis: [{ name: '利用者数', unit: '人', targets: { '2024': 1200 } }],
      attributes: { sdgs: ['11'] },
    });
    await create({ number: 3, title: '子育て短期支援事業', sections: [{ sectionId: a }] });
  });
  afterAll(() => t?.close());

  const get = (path: string, token = planning.token) => t.http().get(`/api/plans/${planId}/items/${path}`).set(bearer(token)).buffer(true).parse(binary);
  const upload = (buffer: Buffer, filename: string) =>
    t.http().post(`/api/plans/${planId}/items/import`).set(bearer(planning.token)).attach('file', buffer, { filename });

  /** Everything the import could touch, and the audit records of items. */
  const state = async () => ({
    items: await t.db.query(
      `SELECT id, number, sub_number, chapter, category, title, content, target_date_text, evaluator_user_id,
              budget_thousand_yen::float8 AS budget, attributes, version, updated_at
         FROM plan_items WHERE plan_id = $1 ORDER BY id`,
      [planId],
    ),
    sections: await t.db.query(
      `SELECT item_id, section_id, content, target_date_text, sort FROM plan_item_sections WHERE item_id = ANY($1::int[]) ORDER BY item_id, sort`,
      [ids],
    ),
    kpis: await t.db.query(`SELECT id, item_id, name, unit, kind, direction, targets, sort FROM plan_item_kpis WHERE item_id = ANY($1::int[]) ORDER BY id`, [
      ids,
    ]),
    itemAudits: await t.db.query(`SELECT id, action, subject_id FROM audit_log WHERE subject_type = 'plan_item' ORDER BY id`),
  });

  let csvText: string;
  let xlsx: Buffer;

  it('exports the CSV in the import format: UTF-8 with BOM, CRLF, the plan code in the name, formulas defused', async () => {
    const res = await get('export.csv').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="jimu-r6-items.csv"; filename*=UTF-8''${encodeURIComponent('jimu-r6_項目一覧.csv')}`);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    csvText = body.toString('utf8');
    expect(csvText.endsWith('\r\n')).toBe(true);
    expect(csvText).toContain(`,'-地域と協議する,`);
    const records: string[][] = parse(csvText.slice(1), { record_delimiter: '\r\n' });
    expect(records[0]).toEqual(HEADER);
    expect(records).toHaveLength(4);
    const [, one, two, three] = records;
    expect(one.slice(0, 10)).toEqual([
      '1',
      '',
      '第2章 子育て',
      '',
      '放課後児童クラブ運営事業',
      '児童クラブを運営する\n待機児童を解消する',
      'R7.3',
      'こども支援課・保育幼稚園課・wakamono',
      'eval-kodomo',
      '120000',
    ]);
    expect(one.slice(col('指標1'), col('根拠法令'))).toEqual([
      '待機児童数',
      '人',
      '数値',
      '低いほど良い',
      '10',
      '5',
      '運営方針の策定',
      '',
      '達成目標(文言)',
      '高いほど良い',
      '策定完了',
      '公表',
    ]);
    expect(one.slice(col('根拠法令'))).toEqual(['児童福祉法', '12345', '13000', '3 すべての人に健康と福祉を・4 質の高い教育をみんなに']);
    expect([two[col('枝番')], two[col('分類')], two[col('内容')], two[col('所管課')], two[col('評価者')], two[col('SDGs')]]).toEqual([
      '①',
      '子育て, 地域',
      "'-地域と協議する",
      '保育幼稚園課',
      '',
      '11 住み続けられるまちづくりを',
    ]);
    expect(two.slice(col('指標2'), col('根拠法令')).every((cell) => cell === '')).toBe(true);
    expect(three.slice(col('指標1'))).toEqual(HEADER.slice(col('指標1')).map(() => ''));
  });

  it('exports the XLSX with the same header, numbers as numbers and text as text', async () => {
    const res = await get('export.xlsx').expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('jimu-r6_項目一覧.xlsx')}`);
    xlsx = res.body as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('項目');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER);
    const cell = (row: number, header: string) => sheet.getRow(row).getCell(col(header) + 1).value;
    expect([cell(2, '番号'), cell(2, '予算額(千円)'), cell(2, '指標1の目標(令和6年度)'), cell(2, '予算額(令和7年度)')]).toEqual([1, 120000, 10, 13000]);
    expect([cell(2, '指標2の目標(令和6年度)'), cell(2, '所管課'), cell(2, '評価者')]).toEqual([
      '策定完了',
      'こども支援課・保育幼稚園課・wakamono',
      'eval-kodomo',
    ]);
    // No apostrophe in the XLSX: a text cell is never a formula.
    expect([cell(3, '内容'), cell(3, '枝番'), cell(4, '評価者')]).toEqual(['-地域と協議する', '①', null]);
    expect(sheet.rowCount).toBe(4);
  });

  it('imports both files unchanged: nothing changes, no item is audited, the rows are counted as unchanged', async () => {
    const before = await state();
    expect(before.kpis).toHaveLength(3);
    for (const [file, name] of [
      [Buffer.from(csvText, 'utf8'), 'jimu-r6_項目一覧.csv'],
      [xlsx, 'jimu-r6_項目一覧.xlsx'],
    ] as const) {
      const res = await upload(file, name).expect(200);
      expect(res.body).toEqual({ created: 0, updated: 0, unchanged: 3, total: 3, ignoredColumns: [] });
      expect(await state()).toEqual(before);
    }
    const imports = await t.db.query(`SELECT after FROM audit_log WHERE action = 'plan.import' ORDER BY id`);
    expect(imports.map((r: { after: object }) => r.after)).toEqual([
      { created: 0, updated: 0, unchanged: 3, file: 'jimu-r6_項目一覧.csv' },
      { created: 0, updated: 0, unchanged: 3, file: 'jimu-r6_項目一覧.xlsx' },
    ]);
  });

  it('imports the CSV with one cell edited: only that changes, the KPI keeps its id', async () => {
    const before = await state();
    expect(csvText.split(',公表,').length).toBe(2);
    const edited = csvText.replace(',公表,', ',ホームページで公表,');
    const res = await upload(Buffer.from(edited, 'utf8'), 'edited.csv').expect(200);
    expect(res.body).toEqual({ created: 0, updated: 1, unchanged: 2, total: 3, ignoredColumns: [] });
    const after = await state();
    const [first, ...others] = after.items;
    expect(others).toEqual(before.items.slice(1));
    expect(first).toEqual({ ...before.items[0], version: before.items[0].version + 1, updated_at: expect.any(Date) });
    expect(first.updated_at.getTime()).toBeGreaterThan(before.items[0].updated_at.getTime());
    expect(after.sections).toEqual(before.sections);
    const milestone = before.kpis.find((k: { name: string }) => k.name === '運営方針の策定');
    expect(after.kpis).toEqual(
      before.kpis.map((k: { id: number }) => (k.id === milestone.id ? { ...milestone, targets: { '2024': '策定完了', '2025': 'ホームページで公表' } } : k)),
    );
    expect(after.itemAudits.slice(before.itemAudits.length)).toEqual([{ id: expect.any(String), action: 'item.import.update', subject_id: String(ids[0]) }]);
  });

  it('is for planning and admin only; an unknown plan is 404', async () => {
    for (const path of ['export.csv', 'export.xlsx']) {
      await get(path, staff.token).expect(403);
      await get(path, evaluator.token).expect(403);
      await t.http().get(`/api/plans/999999/items/${path}`).set(bearer(planning.token)).expect(404);
      await t.http().get(`/api/plans/${planId}/items/${path}`).expect(401);
    }
  });
});
