import { SDGS_OPTIONS } from '@app/domain';
import { build } from './utils/builder';
import { createTestApp, TestApp } from './utils/test-app';
import { bearer, createDepartment, createSection, userWithToken } from './utils/factories';

/**
 * A program evaluation plan (事務事業評価) set up through the api: the plan's item attributes,
 * items with attribute values (typed full-width digits normalised, per-year budgets), KPIs
 * that are milestones or lower-is-better with targets per year, and what a change of the
 * attribute definitions does to the values already stored.
 */
describe('plans: item attributes, items: attributes and KPIs (e2e)', () => {
  let t: TestApp;
  let planning: { id: number; token: string };
  let evaluator: { id: number; token: string };
  let section: number;
  let planId: number;
  let itemId: number;

  const FIELDS = [
    { key: 'legalBasis', label: '根拠法令', type: 'short_text' },
    { key: 'budget', label: '予算額', type: 'money', unit: '千円', perYear: true },
    { key: 'settled', label: '決算額', type: 'money', unit: '千円', perYear: true },
    { key: 'fte', label: '従事職員数', type: 'number', decimals: 1, unit: '人' },
    { key: 'sdgs', label: 'SDGs', type: 'multi_choice', options: SDGS_OPTIONS, maxSelections: 3 },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    section = await createSection(t, { departmentId: await createDepartment(t), code: 'kosodate', name: 'こども支援課' });
    planning = await userWithToken(t, { login: 'planning', roles: ['planning'] });
    evaluator = await userWithToken(t, { login: 'eval', roles: ['evaluator'] });
    const res = await t.http().post('/api/plans').set(bearer(planning.token)).send({ code: 'jimu-2024', name: '事務事業評価', kind: 'evaluation' }).expect(201);
    planId = res.body.id;
    expect(res.body).toMatchObject({ itemFields: [], version: 1 });
  });
  afterAll(() => t.close());

  const patchPlan = (body: object) => t.http().patch(`/api/plans/${planId}`).set(bearer(planning.token)).send(body);
  const storedPlan = async () => (await t.db.query(`SELECT item_fields, version FROM plans WHERE id = $1`, [planId]))[0];

  it('refuses bad item attribute definitions with 422 naming the attribute, and stores nothing', async () => {
    const cases: [unknown[], RegExp][] = [
      [[{ key: 'x', label: '評価', type: 'rating' }], /項目の属性「評価」に種類「rating」は使用できません/],
      [[{ key: '1abc', label: '番号付き', type: 'short_text' }], /項目「番号付き」のキー「1abc」は半角英字で始まる/],
      [[{ key: 'a', label: '分野', type: 'single_choice' }], /項目「分野」の選択肢を1つ以上指定してください/],
      [
        [
          { key: 'a', label: 'A', type: 'short_text' },
          { key: 'a', label: 'B', type: 'short_text' },
        ],
        /項目「a」が重複しています/,
      ],
      [[{ key: 'a', label: '所管課', type: 'short_text' }], /属性の表示名「所管課」は取り込みの列名/],
      [
        [
          { key: 'a', label: '根拠', type: 'short_text' },
          { key: 'b', label: '根拠', type: 'long_text' },
        ],
        /属性の表示名「根拠」が重複しています/,
      ],
      [[{ key: 'a', label: '費用', type: 'money', scope: 'entry' }], /項目「費用」の入力単位「entry」はこの様式では使用できません/],
      [['budget'], /属性1つ目はオブジェクト/],
      [[{ key: 'a', label: '費用', type: 'money', colour: 'red' }], /属性「費用」に指定できない項目「colour」があります/],
      [[{ key: 'a', label: '費用', type: 'money', perYear: 'yes' }], /属性「費用」の年度ごとの指定は true か false/],
    ];
    for (const [itemFields, message] of cases) {
      const res = await patchPlan({ itemFields }).expect(422);
      expect(res.body.field).toBe('itemFields');
      expect(res.body.message).toMatch(message);
    }
    await patchPlan({ itemFields: 'budget' }).expect(400);
    expect(await storedPlan()).toEqual({ item_fields: [], version: 1 });
  });

  it('stores the definitions normalised, audited, with an optimistic version', async () => {
    const res = await patchPlan({ itemFields: FIELDS, version: 1 }).expect(200);
    expect(res.body.version).toBe(2);
    expect(res.body.itemFields[0]).toEqual({ key: 'legalBasis', label: '根拠法令', type: 'short_text', scope: 'item', maxLength: 200 });
    expect(res.body.itemFields.map((f: { key: string }) => f.key)).toEqual(['legalBasis', 'budget', 'settled', 'fte', 'sdgs']);
    const stale = await patchPlan({ itemFields: [], version: 1 }).expect(409);
    expect(stale.body).toMatchObject({ field: 'version', currentVersion: 2 });
    expect((await storedPlan()).item_fields).toHaveLength(5);
    const [audit] = await t.db.query(`SELECT before, after FROM audit_log WHERE action = 'plan.update' AND subject_id = $1`, [String(planId)]);
    expect(audit.before.itemFields).toEqual([]);
    expect(audit.after.itemFields).toHaveLength(5);
    const got = await t.http().get(`/api/plans/${planId}`).set(bearer(evaluator.token)).expect(200);
    expect(got.body.itemFields).toEqual(res.body.itemFields);
  });

  it('creates an item with attributes: full-width digits normalised, per-year values, a named evaluator', async () => {
    const res = await t
      .http()
      .post(`/api/plans/${planId}/items`)
      .set(bearer(planning.token))
      .send({
        number: 1,
        title: '放課後児童クラブ運営事業',
        sections: [{ sectionId: section, content: '児童クラブの運営' }],
        evaluatorUserId: evaluator.id,
        budgetThousandYen: 120000,
        attributes: { legalBasis: '児童福祉法', budget: { '2024': '１２，３４５', '2025': '' }, fte: '２．５', sdgs: ['4', '1'] },
        kpis: [
          { name: '待機児童数', unit: '人', direction: 'lower', targets: { '2024': '１０', '2025': 5 } },
          { name: '運営方針の策定', kind: 'milestone', targets: { '2024': '策定完了' } },
        ],
      })
      .expect(201);
    itemId = res.body.id;
    expect(res.body).toMatchObject({
      evaluatorUserId: evaluator.id,
      attributes: { legalBasis: '児童福祉法', budget: { '2024': 12345 }, fte: 2.5, sdgs: ['1', '4'] },
      retiredAttributes: {},
      kpis: [
        { name: '待機児童数', unit: '人', kind: 'numeric', direction: 'lower', targets: { '2024': 10, '2025': 5 } },
        { name: '運営方針の策定', unit: '', kind: 'milestone', direction: 'higher', targets: { '2024': '策定完了' } },
      ],
    });
    const [row] = await t.db.query(`SELECT attributes FROM plan_items WHERE id = $1`, [itemId]);
    expect(row.attributes).toEqual({ legalBasis: '児童福祉法', budget: { '2024': 12345 }, fte: 2.5, sdgs: ['1', '4'] });
    const kpis = await t.db.query(`SELECT name, kind, direction, targets FROM plan_item_kpis WHERE item_id = $1 ORDER BY sort`, [itemId]);
    expect(kpis).toEqual([
      { name: '待機児童数', kind: 'numeric', direction: 'lower', targets: { '2024': 10, '2025': 5 } },
      { name: '運営方針の策定', kind: 'milestone', direction: 'higher', targets: { '2024': '策定完了' } },
    ]);
  });

  it('refuses bad attribute values and unknown keys with 422 naming the field, changing nothing', async () => {
    const patch = (body: object) =>
      t
        .http()
        .patch(`/api/items/${itemId}`)
        .set(bearer(planning.token))
        .send({ version: 1, ...body });
    const cases: [object, string, RegExp][] = [
      [{ attributes: { fte: '2.55' } }, 'attributes.fte', /従事職員数\(fte\)は小数1桁までで入力してください/],
      [{ attributes: { budget: { '2024': 'たくさん' } } }, 'attributes.budget.2024', /令和6年度の予算額\(budget\)は数値で入力してください/],
      [{ attributes: { budget: 1000 } }, 'attributes.budget', /予算額\(budget\)は年度ごとの値/],
      [{ attributes: { budget: { R6: 1 } } }, 'attributes.budget.R6', /年度は西暦4桁/],
      [{ attributes: { sdgs: ['1', '2', '3', '4'] } }, 'attributes.sdgs', /SDGs\(sdgs\)は3つまで選択できます/],
      [{ attributes: { sdgs: ['18'] } }, 'attributes.sdgs', /「18」は選択肢にありません/],
      [{ attributes: { nope: 'x' } }, 'attributes.nope', /属性「nope」はこの計画に定義されていません/],
      [{ attributes: null }, 'attributes', /attributesは属性のキーと値の組/],
      [{ kpis: [{ name: '待機児童数', targets: { '2024': '少し' } }] }, 'kpis[0].targets.2024', /令和6年度の目標値「少し」は数値で入力してください/],
      [{ kpis: [{ name: '待機児童数', targets: { '24': 1 } }] }, 'kpis[0].targets.24', /年度は西暦4桁/],
      [{ kpis: [{ id: 999999, name: 'x' }] }, 'kpis[0].id', /指標 999999 はこの項目の指標ではありません/],
    ];
    for (const [body, field, message] of cases) {
      const res = await patch(body).expect(422);
      expect([res.body.field, res.body.message]).toEqual([field, expect.stringMatching(message)]);
    }
    const bad = await patch({ kpis: [{ name: 'x', kind: 'text' }] }).expect(400);
    expect(bad.body.field).toBe('kpis.0.kind');
    const [row] = await t.db.query(`SELECT version, attributes->'fte' AS fte FROM plan_items WHERE id = $1`, [itemId]);
    expect(row).toEqual({ version: 1, fte: 2.5 });
  });

  it('keeps KPI ids on update: by id when renamed, by name otherwise; a KPI with a reported actual cannot be removed', async () => {
    const [k1, k2] = (await t.db.query(`SELECT id FROM plan_item_kpis WHERE item_id = $1 ORDER BY sort`, [itemId])).map((r: { id: number }) => r.id);
    const res = await t
      .http()
      .patch(`/api/items/${itemId}`)
      .set(bearer(planning.token))
      .send({
        version: 1,
        attributes: { settled: { '2023': '9,800' }, fte: null },
        kpis: [
          { id: k2, name: '運営方針の策定・公表', kind: 'milestone', targets: { '2024': '策定完了', '2025': '公表' } },
          { name: '待機児童数', unit: '人', direction: 'lower' },
          { name: '利用者満足度', unit: '%', targets: { '2024': 80 } },
        ],
      })
      .expect(200);
    expect(res.body.version).toBe(2);
    expect(res.body.kpis.map((k: { id: number; name: string; targets: object }) => [k.id, k.name, k.targets])).toEqual([
      [k2, '運営方針の策定・公表', { '2024': '策定完了', '2025': '公表' }],
      [k1, '待機児童数', { '2024': 10, '2025': 5 }],
      [expect.any(Number), '利用者満足度', { '2024': 80 }],
    ]);
    expect(res.body.attributes).toEqual({ legalBasis: '児童福祉法', budget: { '2024': 12345 }, settled: { '2023': 9800 }, sdgs: ['1', '4'] });

    // A report holds an actual for 待機児童数: it can be renamed but not removed.
    const b = build(t);
    const templateId = await b.template({ planId, by: planning.id, code: 'jimu', name: '事務事業評価', periodType: 'fiscal_year', scaleCode: 'progress4' });
    const { cycleId } = await b.openedCycle({ templateId, periodKey: 'FY2024', by: planning.id });
    const [[reported]] = await t.db.query(`UPDATE entries SET kpi_actuals = $4 WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3 RETURNING id`, [
      cycleId,
      itemId,
      section,
      JSON.stringify([
        { kpiId: k1, actual: 12 },
        { kpiId: k2, actual: null },
      ]),
    ]);
    expect(reported).toBeDefined();
    const held = await t
      .http()
      .patch(`/api/items/${itemId}`)
      .set(bearer(planning.token))
      .send({ version: 2, kpis: [{ id: k2, name: '運営方針の策定・公表' }] })
      .expect(409);
    expect(held.body).toMatchObject({
      field: 'kpis',
      message: expect.stringContaining('指標「待機児童数」はエントリーに実績が入力されているため削除できません'),
    });
    const ok = await t
      .http()
      .patch(`/api/items/${itemId}`)
      .set(bearer(planning.token))
      .send({
        version: 2,
        kpis: [
          { id: k1, name: '待機児童数(4月1日時点)' },
          { id: k2, name: '運営方針の策定・公表' },
        ],
      })
      .expect(200);
    expect(ok.body.kpis.map((k: { id: number; name: string }) => [k.id, k.name])).toEqual([
      [k1, '待機児童数(4月1日時点)'],
      [k2, '運営方針の策定・公表'],
    ]);
    expect(ok.body.kpis[0]).toMatchObject({ direction: 'lower', targets: { '2024': 10, '2025': 5 } });
  });

  it('keeps the values of a removed attribute (shown as retired), refuses a definition the stored values break, and brings values back with the key', async () => {
    const current = (await t.http().get(`/api/plans/${planId}`).set(bearer(planning.token)).expect(200)).body;
    const withoutSettled = FIELDS.filter((f) => f.key !== 'settled');
    const removed = await patchPlan({ itemFields: withoutSettled, version: current.version }).expect(200);
    const item = await t.http().get(`/api/items/${itemId}`).set(bearer(planning.token)).expect(200);
    expect(item.body.attributes).not.toHaveProperty('settled');
    expect(item.body.retiredAttributes).toEqual({ settled: { '2023': 9800 } });
    const [row] = await t.db.query(`SELECT attributes->'settled' AS settled FROM plan_items WHERE id = $1`, [itemId]);
    expect(row.settled).toEqual({ '2023': 9800 });

    // SDGs narrowed to one choice: item 1 has two, so the definition is refused until it is fixed.
    const narrowed = withoutSettled.map((f) => (f.key === 'sdgs' ? { ...f, maxSelections: 1 } : f));
    const refused = await patchPlan({ itemFields: narrowed, version: removed.body.version }).expect(422);
    expect(refused.body.field).toBe('itemFields');
    expect(refused.body.message).toMatch(/保存されている値が新しい属性の定義に合いません/);
    expect(refused.body.message).toMatch(/項目 1: SDGs\(sdgs\)は1つまで選択できます/);
    const perYear = withoutSettled.map((f) => (f.key === 'legalBasis' ? { ...f, perYear: true } : f));
    expect((await patchPlan({ itemFields: perYear }).expect(422)).body.message).toMatch(/項目 1: 根拠法令\(legalBasis\)は年度ごとの値/);

    const back = await patchPlan({ itemFields: FIELDS, version: removed.body.version }).expect(200);
    expect(back.body.version).toBe(removed.body.version + 1);
    const again = await t.http().get(`/api/items/${itemId}`).set(bearer(planning.token)).expect(200);
    expect(again.body.attributes.settled).toEqual({ '2023': 9800 });
    expect(again.body.retiredAttributes).toEqual({});
    const list = await t.http().get(`/api/plans/${planId}/items`).set(bearer(evaluator.token)).expect(200);
    expect(list.body[0].attributes).toEqual(again.body.attributes);
  });

  it("refuses to remove an attribute a template's rule reads (409 naming the template)", async () => {
    const rule = { '>': [{ var: 'item.fte' }, 1] };
    await t.db.query(`UPDATE cycle_templates SET fields = $2 WHERE plan_id = $1`, [
      planId,
      JSON.stringify([{ key: 'note', label: '体制の説明', type: 'long_text', scope: 'entry', required: rule }]),
    ]);
    const before = await storedPlan();
    const res = await patchPlan({ itemFields: FIELDS.filter((f) => f.key !== 'fte') }).expect(409);
    expect(res.body).toMatchObject({
      field: 'itemFields',
      message: '属性「fte」はテンプレート「事務事業評価」の条件で使われているため削除できません。先に条件を変更してください',
    });
    expect(await storedPlan()).toEqual(before);
    // Other attributes can still go.
    await patchPlan({ itemFields: FIELDS.filter((f) => f.key !== 'legalBasis') }).expect(200);
  });
});
