import ExcelJS from 'exceljs';
import { SDGS_OPTIONS } from '@app/domain';
import { createTestApp, TestApp } from './utils/test-app';
import { build } from './utils/builder';
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
    planId = await build(t).plan({ code: 'p', name: '計画', kind: 'program' });
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
    expect(res.body).toEqual({ created: 3, updated: 0, unchanged: 0, total: 3, ignoredColumns: [] });
    expect(await items()).toEqual([
      { number: 1, sub_number: '', title: '修学旅行無料化', target_date_text: '調整中', version: 1, sections: [a, b] },
      { number: 2, sub_number: '①', title: '給食費', target_date_text: '未定', version: 1, sections: [b] },
      { number: 2, sub_number: '②', title: '給食食材', target_date_text: null, version: 1, sections: [b, a] },
    ]);
    const [kpi] = await t.db.query(`SELECT name, unit FROM plan_item_kpis`);
    expect(kpi).toEqual({ name: '実施校数', unit: '校' });

    const second = csv([
      ['number', 'subNumber', 'title', 'sections'],
      ['1', '', '修学旅行の無料化', '学校教育課'],
      ['3', '', '新規', '学校教育課'],
    ]);
    const again = await upload(planning.token, Buffer.from(second, 'utf8'), 'english.csv').expect(200);
    expect(again.body).toEqual({ created: 1, updated: 1, unchanged: 0, total: 2, ignoredColumns: [] });
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
    expect(res.body).toEqual({ created: 2, updated: 0, unchanged: 0, total: 2, ignoredColumns: [] });
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
    expect(tooMany.body).toMatchObject({ field: 'file', message: '行数が上限（10,000行）を超えています' });
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

  describe("several KPIs per item, the evaluator, the budget and the plan's attributes", () => {
    let evalPlanId: number;
    let evaluatorId: number;
    const EVAL_HEADER = [
      '番号',
      '名称',
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
      '指標2の種類',
      '指標2の目標(2024)',
      '根拠法令',
      '予算額(令和6年度)',
      '予算額(2025)',
      '従事職員数',
      'SDGs',
    ];
    const uploadTo = (buffer: Buffer, filename: string) =>
      t.http().post(`/api/plans/${evalPlanId}/items/import`).set(bearer(planning.token)).attach('file', buffer, { filename });

    beforeAll(async () => {
      evaluatorId = (await userWithToken(t, { login: 'eval-kodomo', roles: ['evaluator'] })).id;
      const res = await t
        .http()
        .post('/api/plans')
        .set(bearer(planning.token))
        .send({
          code: 'jimu',
          name: '事務事業評価',
          kind: 'evaluation',
          itemFields: [
            { key: 'legalBasis', label: '根拠法令', type: 'short_text' },
            { key: 'budget', label: '予算額', type: 'money', perYear: true, unit: '千円' },
            { key: 'fte', label: '従事職員数', type: 'number', decimals: 1 },
            { key: 'sdgs', label: 'SDGs', type: 'multi_choice', options: SDGS_OPTIONS, maxSelections: 3 },
          ],
        })
        .expect(201);
      evalPlanId = res.body.id;
    });

    it('imports two KPIs per item with kind, direction and targets per year, the evaluator by login and attributes by label', async () => {
      const file = csv([
        EVAL_HEADER,
        [
          '1',
          '放課後児童クラブ',
          '学校教育課',
          'eval-kodomo',
          '１２，０００',
          '待機児童数',
          '人',
          '数値',
          '低いほど良い',
          '10',
          '5',
          '運営方針',
          '達成目標(文言)',
          '策定完了',
          '児童福祉法',
          '1,500',
          '1600',
          '２．５',
          '4・10',
        ],
        ['2', 'ICT教育', '教育総務課', '', '', '端末整備率', '%', '', '', '100', '', '', '', '', '', '', '', '', '4 質の高い教育をみんなに'],
      ]);
      const res = await uploadTo(Buffer.from(file, 'utf8'), 'jimu.csv').expect(200);
      expect(res.body).toEqual({ created: 2, updated: 0, unchanged: 0, total: 2, ignoredColumns: [] });
      const rows = await t.db.query(
        `SELECT i.number, i.evaluator_user_id, i.budget_thousand_yen::int AS budget, i.attributes,
                (SELECT json_agg(json_build_object('name', k.name, 'unit', k.unit, 'kind', k.kind, 'direction', k.direction, 'targets', k.targets) ORDER BY k.sort)
                   FROM plan_item_kpis k WHERE k.item_id = i.id) AS kpis
           FROM plan_items i WHERE i.plan_id = $1 ORDER BY i.number`,
        [evalPlanId],
      );
      expect(rows).toEqual([
        {
          number: 1,
          evaluator_user_id: evaluatorId,
          budget: 12000,
          attributes: { legalBasis: '児童福祉法', budget: { '2024': 1500, '2025': 1600 }, fte: 2.5, sdgs: ['4', '10'] },
          kpis: [
            { name: '待機児童数', unit: '人', kind: 'numeric', direction: 'lower', targets: { '2024': 10, '2025': 5 } },
            { name: '運営方針', unit: '', kind: 'milestone', direction: 'higher', targets: { '2024': '策定完了' } },
          ],
        },
        {
          number: 2,
          evaluator_user_id: null,
          budget: null,
          attributes: { sdgs: ['4'] },
          kpis: [{ name: '端末整備率', unit: '%', kind: 'numeric', direction: 'higher', targets: { '2024': 100 } }],
        },
      ]);
    });

    it('on a second import, keeps what the file does not carry: other years, KPIs and columns it lacks; milestone targets read as wording', async () => {
      const file = csv([
        ['番号', '名称', '所管課', '指標1', '指標2', '指標2の目標(令和7年度)', '予算額(令和7年度)', '備考'],
        ['1', '放課後児童クラブ', '学校教育課', '待機児童数', '運営方針', '公表', '1,700', '来年度拡充'],
      ]);
      const res = await uploadTo(Buffer.from(file, 'utf8'), 'again.csv').expect(200);
      expect(res.body).toEqual({ created: 0, updated: 1, unchanged: 0, total: 1, ignoredColumns: ['備考'] });
      const [item] = await t.db.query(
        `SELECT id, evaluator_user_id, budget_thousand_yen::int AS budget, attributes FROM plan_items WHERE plan_id = $1 AND number = 1`,
        [evalPlanId],
      );
      expect(item).toMatchObject({ evaluator_user_id: evaluatorId, budget: 12000, attributes: { budget: { '2024': 1500, '2025': 1700 }, fte: 2.5 } });
      const kpis = await t.db.query(`SELECT name, unit, targets FROM plan_item_kpis WHERE item_id = $1 ORDER BY sort`, [item.id]);
      expect(kpis).toEqual([
        { name: '待機児童数', unit: '人', targets: { '2024': 10, '2025': 5 } }, // no 単位 column: the unit is kept
        { name: '運営方針', unit: '', targets: { '2024': '策定完了', '2025': '公表' } },
      ]);
    });

    it('reports every bad cell by row and column and stores nothing', async () => {
      const before = await t.db.query(`SELECT id, version, attributes FROM plan_items WHERE plan_id = $1 ORDER BY id`, [evalPlanId]);
      const file = csv([
        EVAL_HEADER,
        ['1', '放課後児童クラブ', '学校教育課', '', '', '待機児童数', '人', '', '', '9', '', '', '', '', '', '', '', '', ''],
        ['3', '新規事業', '学校教育課', 'nobody', '-1', '満足度', '%', '割合', '上がるほど良い', 'とても', '', '', '', '', '', 'abc', '', '1.25', '1・2・3・4'],
        ['4', '', '教育総務課', '', '', '', '人', '', '', '', '', '', '', '', '', '', '', '', ''],
      ]);
      const res = await uploadTo(Buffer.from(file, 'utf8'), 'bad.csv').expect(422);
      expect(res.body.message).toBe('2 行に誤りがあるため、取り込みませんでした');
      expect(res.body.errors).toEqual([
        { row: 3, field: '評価者', message: '評価者「nobody」が見つかりません(有効な利用者のログインIDで指定してください)' },
        { row: 3, field: '予算額(千円)', message: '予算額(千円)「-1」は0以上の整数(千円単位)で入力してください' },
        { row: 3, field: '指標1の種類', message: '種類「割合」は「数値」か「達成目標(文言)」で入力してください' },
        { row: 3, field: '指標1の方向', message: '方向「上がるほど良い」は「高いほど良い」か「低いほど良い」で入力してください' },
        {
          row: 3,
          field: '指標1の目標(令和6年度)',
          message: '指標「満足度」の令和6年度の目標値「とても」は数値で入力してください(文言の目標は種類を「達成目標(文言)」にしてください)',
        },
        { row: 3, field: '予算額(令和6年度)', message: '令和6年度の予算額(budget)は数値で入力してください' },
        { row: 3, field: '従事職員数', message: '従事職員数(fte)は小数1桁までで入力してください' },
        { row: 3, field: 'SDGs', message: 'SDGs(sdgs)は3つまで選択できます' },
        { row: 4, field: '名称', message: '名称は必須です' },
        { row: 4, field: '指標1の単位', message: '指標1の単位を入力する場合は指標1も入力してください' },
      ]);
      expect(await t.db.query(`SELECT id, version, attributes FROM plan_items WHERE plan_id = $1 ORDER BY id`, [evalPlanId])).toEqual(before);
    });

    it("imports the same columns from an XLSX, and serves a template with the plan's attribute columns", async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('事務事業');
      sheet.addRow(EVAL_HEADER);
      sheet.addRow([
        5,
        '図書館運営',
        '学校教育課',
        'eval-kodomo',
        3000,
        '来館者数',
        '人',
        '数値',
        '高いほど良い',
        50000,
        52000,
        '',
        '',
        '',
        '図書館法',
        2800,
        '',
        4,
        '4',
      ]);
      const res = await uploadTo(Buffer.from(await workbook.xlsx.writeBuffer()), 'jimu.xlsx').expect(200);
      expect(res.body).toMatchObject({ created: 1, updated: 0 });
      const [item] = await t.db.query(`SELECT id, attributes FROM plan_items WHERE plan_id = $1 AND number = 5`, [evalPlanId]);
      expect(item.attributes).toEqual({ legalBasis: '図書館法', budget: { '2024': 2800 }, fte: 4, sdgs: ['4'] });
      const [kpi] = await t.db.query(`SELECT targets FROM plan_item_kpis WHERE item_id = $1`, [item.id]);
      expect(kpi.targets).toEqual({ '2024': 50000, '2025': 52000 });

      const template = await t.http().get(`/api/plans/${evalPlanId}/items/import-template.csv`).set(bearer(planning.token)).expect(200);
      const header = template.text.slice(1).split('\r\n')[0].split(',');
      expect(header.slice(-6)).toEqual(['評価者', '予算額(千円)', '根拠法令', expect.stringMatching(/^予算額\(令和\d+年度\)$/), '従事職員数', 'SDGs']);
      expect(header).toContain('指標2の種類');
      await t.http().get(`/api/plans/999999/items/import-template.csv`).set(bearer(planning.token)).expect(404);
    });
  });
});
