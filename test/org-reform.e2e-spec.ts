import { parse } from 'csv-parse/sync';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

const HEADER = ['種別', '対象', '新コード', '新名称', '部', '統合先', '施行日'];
const csv = (rows: string[][]) => Buffer.from('\uFEFF' + rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\r\n') + '\r\n', 'utf8');

/** Bulk 機構改革 from a file: the same per-row preview, all rows or none, and last year's report keeps last year's names. */
describe('organisation reform (機構改革) from a file', () => {
  let t: TestApp;
  let f: CycleFixture;
  let lastYear: number;
  const planning = () => ({ Authorization: `Bearer ${f.users.planning.token}` });
  const upload = (path: string, rows: string[][]) => t.http().post(path).set(planning()).attach('file', csv(rows), 'kikou.csv');
  const sectionsOf = async (id: number) => {
    const res = await t.http().get(`/api/cycles/${id}/export.csv`).set(planning()).expect(200);
    const rows = parse(res.text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    return [...new Set(rows.map((r) => r['所管課']))].sort();
  };

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning())
      .send({ code: 'pledge-h', name: '市長公約', planId: f.planId, periodType: 'half_year', scaleCode: 'abcd' })
      .expect(201);
    // Last fiscal year's second half (R7 下半期, to 2026-03-31), reported by sections A, B and C.
    lastYear = (await t.http().post('/api/cycles').set(planning()).send({ templateId: tpl.body.id, periodKey: '2025-H2' }).expect(201)).body.id;
    await t.http().post(`/api/cycles/${lastYear}/actions`).set(planning()).send({ action: 'open' }).expect(200);
    expect(await sectionsOf(lastYear)).toEqual(['こども支援課', '保育幼稚園課', '経営企画課']);
  });
  afterAll(() => t.close());

  it('reports each row, applies nothing when a row is wrong, naming the row', async () => {
    const bad = [
      HEADER,
      ['課の統合', 'b', '', '', '', 'a', '2026-04-01'],
      ['課の統合', 'c', '', '', '', '存在しない課', '2026-04-01'],
      ['課の改名', 'a', '', 'x', '', '', '2026-04-01'],
    ];
    const preview = await upload('/api/org/reforms/preview', bad).expect(200);
    expect(preview.body.summary).toEqual({ rows: 3, errorRows: 2 });
    expect(preview.body.rows[0]).toMatchObject({
      row: 2,
      errors: [],
      result: '課「保育幼稚園課」を「こども支援課」に統合（項目 0 件が移動、1 件は統合先が既に所管）',
    });
    expect(preview.body.rows[0].warnings).toEqual(
      expect.arrayContaining(['「保育幼稚園課」に所属する職員 1 人はそのままです（人事異動で統合先へ移してください）']),
    );
    expect(preview.body.rows[1]).toMatchObject({ row: 3, errors: ['統合先: 「存在しない課」という課が見つかりません'] });
    expect(preview.body.rows[2].errors[0]).toMatch(/^種別: 「課の改名」は扱えません/);
    const refused = await upload('/api/org/reforms', bad).expect(422);
    expect(refused.body.message).toBe('2 行に誤りがあるため、適用しませんでした');
    expect(refused.body.errors.map((e: { row: number }) => e.row)).toEqual([3, 4]);
    // The preview and the refusal changed nothing.
    const [b] = await t.db.query(`SELECT active FROM sections WHERE id = $1`, [f.sections.b]);
    expect(b.active).toBe(true);
  });

  it('merges, renames, creates and moves from one file; last year’s report keeps last year’s names', async () => {
    const file = [
      HEADER,
      ['課の統合', '保育幼稚園課', '', '', '', 'a', '2026-04-01'],
      ['課の名称変更', 'a', '', 'こども家庭課', '', '', '2026-04-01'],
      ['部の新設', '-', 'd9', '未来創造部', '', '', '2026-04-01'],
      ['課の新設', '-', 'e', '子育て相談課', 'd1', '', '令和8年4月1日'],
      ['課の所属変更', '子育て相談課', '', '', '未来創造部', '', '2026-04-01'],
    ];
    const preview = await upload('/api/org/reforms/preview', file).expect(200);
    expect(preview.body.rows.flatMap((r: { errors: string[] }) => r.errors)).toEqual([]);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM departments WHERE code = 'd9'`))[0].n).toBe(0);

    const applied = await upload('/api/org/reforms', file).expect(200);
    expect(applied.body.rows.map((r: { result: string }) => r.result)).toEqual([
      '課「保育幼稚園課」を「こども支援課」に統合（項目 0 件が移動、1 件は統合先が既に所管）',
      '課「こども支援課」を「こども家庭課」に名称変更（2026-04-01から）',
      '部「未来創造部」(d9) を新設',
      '課「子育て相談課」(e) を新設',
      '課「子育て相談課」を「未来創造部」へ移管',
    ]);
    const [b] = await t.db.query(`SELECT active, merged_into_id FROM sections WHERE id = $1`, [f.sections.b]);
    expect(b).toEqual({ active: false, merged_into_id: f.sections.a });
    const [item1] = await t.db.query(`SELECT array_agg(section_id ORDER BY section_id) AS s FROM plan_item_sections WHERE item_id = $1`, [f.items[0]]);
    expect(item1.s).toEqual([f.sections.a]);
    const [e] = await t.db.query(`SELECT d.code FROM sections s JOIN departments d ON d.id = s.department_id WHERE s.code = 'e'`);
    expect(e.code).toBe('d9');
    // Last year's report: the sections by the names they had on 2026-03-31; its entries stay with B.
    expect(await sectionsOf(lastYear)).toEqual(['こども支援課', '保育幼稚園課', '経営企画課']);
    // This year's cycle: the merged section's items are A's, under A's new name.
    const [{ id: tpl }] = await t.db.query(`SELECT template_id AS id FROM cycles WHERE id = $1`, [lastYear]);
    const thisYear = (await t.http().post('/api/cycles').set(planning()).send({ templateId: tpl, periodKey: '2026-H2' }).expect(201)).body.id;
    await t.http().post(`/api/cycles/${thisYear}/actions`).set(planning()).send({ action: 'open' }).expect(200);
    expect(await sectionsOf(thisYear)).toEqual(['こども家庭課', '経営企画課']);
    const actions = await t.db.query(
      `SELECT action FROM audit_log WHERE action IN ('section.merge', 'section.rename', 'department.create', 'section.create', 'section.move', 'org_reform.apply') ORDER BY id`,
    );
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'section.merge',
      'section.rename',
      'department.create',
      'section.create',
      'section.move',
      'org_reform.apply',
    ]);
  });
});
