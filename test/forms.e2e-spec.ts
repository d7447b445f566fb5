import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Configurable forms over HTTP: a program-evaluation-like template (KPI table, an analysis
 * required when a KPI misses its target, a choice, a number, a department field), its cycle
 * opened, entries filled and refused as the form's rules say, and the form kept by the cycle
 * when the template is edited afterwards.
 */
describe('configurable forms (API)', () => {
  let t: TestApp;
  let f: CycleFixture;
  let templateId: number;
  let cycleId: number;
  let kpiId: number;

  const form = [
    { key: 'rating', label: '総合評価', type: 'rating' },
    { key: 'kpiActuals', label: '成果指標', type: 'kpi_table', required: true },
    {
      key: 'shortfallReason',
      label: '目標値が未達成の理由・分析',
      type: 'long_text',
      required: { var: 'kpiShortfall' },
      visible: { var: 'kpiShortfall' },
    },
    {
      key: 'direction',
      label: '事業の方向性',
      type: 'single_choice',
      required: true,
      options: ['拡充', '継続', '縮小', '廃止'].map((v) => ({ value: v, label: v })),
    },
    { key: 'staffFte', label: '従事職員数(正規)', type: 'number', unit: '人', decimals: 1, min: 0 },
    { key: 'policy', label: '基本方針', type: 'long_text', scope: 'department', required: true },
    { key: 'reason', label: '評価の理由', required: 'when_reason_needed' },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    kpiId = (await t.db.query(`SELECT id FROM plan_item_kpis WHERE item_id = $1`, [f.items[1]]))[0].id;
    await t.db.query(`UPDATE plan_item_kpis SET targets = '{"2024": 20}' WHERE id = $1`, [kpiId]);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({
        code: 'program-eval',
        name: '事務事業評価',
        planId: f.planId,
        periodType: 'fiscal_year',
        scaleCode: 'abcd',
        fields: form,
        layout: 'sheet',
        approvalRoute: [{ kind: 'evaluator', label: '評価者' }],
      })
      .expect(201);
    templateId = tpl.body.id;
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId, periodKey: 'FY2024' }).expect(201);
    cycleId = cycle.body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
  });
  afterAll(() => t?.close());

  async function entryOf(itemIndex: number, section: 'a' | 'b' = 'a') {
    const [row] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycleId,
      f.items[itemIndex],
      f.sections[section],
    ]);
    return row as { id: number; version: number };
  }

  it('stores the form normalised and refuses an invalid one, naming the field', async () => {
    const stored = (await t.http().get(`/api/templates/${templateId}`).set(bearer(f.users.planning.token)).expect(200)).body;
    expect(stored.layout).toBe('sheet');
    expect(stored.fields.map((x: { key: string; type: string; scope: string }) => `${x.key}:${x.type}:${x.scope}`)).toEqual([
      'rating:rating:entry',
      'kpiActuals:kpi_table:entry',
      'shortfallReason:long_text:entry',
      'direction:single_choice:entry',
      'staffFte:number:entry',
      'policy:long_text:department',
      'reason:long_text:entry',
    ]);
    expect(stored.fields.find((x: { key: string }) => x.key === 'reason').required).toEqual({ or: [{ var: 'ratingNeedsReason' }, { var: 'worsened' }] });

    const bad = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({
        code: 'bad-form',
        name: '不正な様式',
        planId: f.planId,
        periodType: 'fiscal_year',
        scaleCode: 'abcd',
        fields: [
          { key: 'note', label: 'メモ', type: 'short_text' },
          { key: 'note', label: 'メモ2', type: 'short_text' },
          { key: 'choice', label: '区分', type: 'single_choice' },
          { key: 'cond', label: '条件付き', type: 'long_text', required: { var: 'values.missing' } },
        ],
      })
      .expect(422);
    expect(bad.body.field).toBe('fields');
    expect(bad.body.errors.map((e: { message: string }) => e.message)).toEqual([
      '項目「note」が重複しています',
      '項目「区分」の選択肢を1つ以上指定してください',
      '項目「条件付き」の必須条件の条件が存在しない項目「values.missing」を参照しています',
    ]);
    expect(await t.db.query(`SELECT id FROM cycle_templates WHERE code = 'bad-form'`)).toEqual([]);
  });

  it('a KPI below its target without the analysis is refused (422 naming the field); with it the entry is submitted', async () => {
    await t
      .http()
      .put(`/api/cycles/${cycleId}/scope-values/department/${f.departmentId}`)
      .set(bearer(f.users.evaluator.token))
      .send({ version: 0, values: { policy: '子育て世帯の負担を減らす' } })
      .expect(200);
    const e = await entryOf(1);
    const body = { version: e.version, rating: 'B', kpiActuals: [{ kpiId, actual: '１５' }], values: { direction: '継続', staffFte: '２．５' } };
    const refused = await t.http().post(`/api/entries/${e.id}/submit`).set(bearer(f.users.chiefA.token)).send(body).expect(422);
    expect(refused.body.field).toBe('shortfallReason');
    expect(refused.body.message).toBe('指標の実績が目標に達していないため、目標値が未達成の理由・分析(shortfallReason)を入力してください');
    const [unchanged] = await t.db.query(`SELECT state, kpi_actuals, "values" FROM entries WHERE id = $1`, [e.id]);
    expect(unchanged).toEqual({ state: 'not_started', kpi_actuals: [], values: {} });

    const ok = await t
      .http()
      .post(`/api/entries/${e.id}/submit`)
      .set(bearer(f.users.chiefA.token))
      .send({ ...body, values: { ...body.values, shortfallReason: '募集期間が短く参加園が伸びなかった' } })
      .expect(200);
    expect(ok.body.state).toBe('submitted');
    const [row] = await t.db.query(`SELECT kpi_actuals, "values" FROM entries WHERE id = $1`, [e.id]);
    // Full-width digits as typed are stored as numbers.
    expect(row.kpi_actuals).toEqual([{ kpiId, actual: 15 }]);
    expect(row.values).toEqual({ direction: '継続', staffFte: 2.5, shortfallReason: '募集期間が短く参加園が伸びなかった' });
  });

  it('a met target needs no analysis; a bad number, an unknown key and an unknown choice are refused by name', async () => {
    const e = await entryOf(0);
    const refuse = async (values: Record<string, unknown>, field: string, message: string) => {
      const res = await t.http().put(`/api/entries/${e.id}`).set(bearer(f.users.chiefA.token)).send({ version: e.version, values }).expect(422);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toBe(message);
    };
    await refuse({ staffFte: '2人' }, 'staffFte', '従事職員数(正規)(staffFte)は数値で入力してください');
    await refuse({ staffFte: '-1' }, 'staffFte', '従事職員数(正規)(staffFte)は0以上で入力してください');
    await refuse({ nothing: 'x' }, 'nothing', '項目「nothing」はこの様式にありません');
    await refuse({ direction: '休止' }, 'direction', '事業の方向性(direction)の「休止」は選択肢にありません');
    // Item 1 has no KPI: nothing to miss, so no analysis is asked for.
    const ok = await t
      .http()
      .post(`/api/entries/${e.id}/submit`)
      .set(bearer(f.users.chiefA.token))
      .send({ version: e.version, rating: 'A', values: { direction: '拡充' } })
      .expect(200);
    expect(ok.body.state).toBe('submitted');
  });

  it('a department field is entered once and shown with every entry of the department; required at submit', async () => {
    const a = (
      await t
        .http()
        .get(`/api/entries/${(await entryOf(0, 'a')).id}`)
        .set(bearer(f.users.chiefA.token))
        .expect(200)
    ).body;
    const b = (
      await t
        .http()
        .get(`/api/entries/${(await entryOf(0, 'b')).id}`)
        .set(bearer(f.users.chiefB.token))
        .expect(200)
    ).body;
    for (const d of [a, b]) {
      expect(d.scopes.department).toMatchObject({
        scope: 'department',
        scopeId: f.departmentId,
        name: 'こども未来部',
        headName: 'eval-d1',
        values: { policy: '子育て世帯の負担を減らす' },
        version: 1,
      });
      expect(d.scopes.department.fields.map((x: { key: string }) => x.key)).toEqual(['policy']);
    }
    // Chiefs of the department may write it too; a stale version is refused.
    await t
      .http()
      .put(`/api/cycles/${cycleId}/scope-values/department/${f.departmentId}`)
      .set(bearer(f.users.chiefB.token))
      .send({ version: 0, values: { policy: '上書き' } })
      .expect(409);
    const unknown = await t
      .http()
      .put(`/api/cycles/${cycleId}/scope-values/department/${f.departmentId}`)
      .set(bearer(f.users.chiefB.token))
      .send({ version: 1, values: { summary: 'x' } })
      .expect(422);
    expect(unknown.body.field).toBe('summary');
    const audit = await t.db.query(`SELECT action, after->'values' AS v FROM audit_log WHERE subject_type = 'scope_values'`);
    expect(audit).toEqual([{ action: 'scope_values.save', v: { policy: '子育て世帯の負担を減らす' } }]);

    // Cleared, the department field blocks a submit in the department.
    await t
      .http()
      .put(`/api/cycles/${cycleId}/scope-values/department/${f.departmentId}`)
      .set(bearer(f.users.evaluator.token))
      .send({ version: 1, values: { policy: '' } })
      .expect(200);
    const e = await entryOf(0, 'b');
    const refused = await t
      .http()
      .post(`/api/entries/${e.id}/submit`)
      .set(bearer(f.users.chiefB.token))
      .send({ version: e.version, rating: 'A', values: { direction: '継続' } })
      .expect(422);
    expect(refused.body.message).toBe('部の項目基本方針(policy)を入力してください');
  });

  it("editing the template after opening leaves the open cycle's form unchanged", async () => {
    const current = (await t.http().get(`/api/templates/${templateId}`).set(bearer(f.users.planning.token))).body;
    await t
      .http()
      .patch(`/api/templates/${templateId}`)
      .set(bearer(f.users.planning.token))
      .send({ version: current.version, fields: [...form, { key: 'newNote', label: '新しい欄', type: 'long_text', required: true }] })
      .expect(200);
    const detail = (
      await t
        .http()
        .get(`/api/entries/${(await entryOf(0, 'b')).id}`)
        .set(bearer(f.users.chiefB.token))
        .expect(200)
    ).body;
    expect(detail.template.fields.map((x: { key: string }) => x.key)).not.toContain('newNote');
    await t
      .http()
      .put(`/api/cycles/${cycleId}/scope-values/department/${f.departmentId}`)
      .set(bearer(f.users.evaluator.token))
      .send({ version: 2, values: { policy: '方針' } })
      .expect(200);
    const b = await entryOf(0, 'b');
    // The new required field is not asked for in this cycle; a value for it is refused.
    await t
      .http()
      .put(`/api/entries/${b.id}`)
      .set(bearer(f.users.chiefB.token))
      .send({ version: b.version, values: { newNote: 'x' } })
      .expect(422);
    await t
      .http()
      .post(`/api/entries/${b.id}/submit`)
      .set(bearer(f.users.chiefB.token))
      .send({ version: b.version, rating: 'A', values: { direction: '継続' } })
      .expect(200);
    const [cycle] = await t.db.query(`SELECT rules->'templateVersion' AS v FROM cycles WHERE id = $1`, [cycleId]);
    expect(cycle.v).toBe(1);
  });
});
