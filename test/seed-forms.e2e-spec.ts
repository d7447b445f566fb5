import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CyclesService, TemplatesService } from '@app/cycles';
import { DEFAULT_FORM } from '@app/domain';
import { SeedAppModule, SeedHistoryService, SeedService } from '@app/seed';
import { bearer, loginAs } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

interface TemplateRow {
  code: string;
  layout: string;
  scaleCode: string;
  periodType: string;
  fields: { key: string; type: string; scope: string; required?: unknown; visible?: unknown }[];
  approvalRoute: { kind: string }[];
}

const TODAY = '2026-11-21';

describe('demo seed: the five kinds of report with their forms', () => {
  let t: TestApp;
  let seedApp: INestApplicationContext;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp();
    seedApp = await NestFactory.createApplicationContext(SeedAppModule.forRoot(t.config), { logger: ['error'] });
    await seedApp.get(SeedService).seed();
    await seedApp.get(SeedHistoryService).seed(undefined, TODAY);
    token = await loginAs(t, 'planning');
  });
  afterAll(async () => {
    await seedApp.close();
    await t.close();
  });

  const templates = async (): Promise<Map<string, TemplateRow>> => {
    const res = await t.http().get('/api/templates').set(bearer(token)).expect(200);
    return new Map(res.body.map((tpl: TemplateRow) => [tpl.code, tpl]));
  };
  const shape = (tpl: TemplateRow) => tpl.fields.map((f) => `${f.key}:${f.type}:${f.scope}${f.required ? '!' : ''}${f.visible ? '?' : ''}`);
  const planId = async (code: string) => (await t.db.query(`SELECT id FROM plans WHERE code = $1`, [code]))[0].id as number;
  const cycleOf = async (template: string, periodKey: string) =>
    (
      await t.db.query(`SELECT c.id, c.state, c.label FROM cycles c JOIN cycle_templates t ON t.id = c.template_id WHERE t.code = $1 AND c.period_key = $2`, [
        template,
        periodKey,
      ])
    )[0] as { id: number; state: string; label: string };

  it('has one template per kind of report, each with its own form and layout (! required, ? shown on a rule)', async () => {
    const byCode = await templates();
    expect([...byCode.keys()].sort()).toEqual(
      ['action-plan-yearly', 'department-goals', 'pledge-halfyear', 'pledge-monthly', 'pledge-status-half', 'program-evaluation'].sort(),
    );
    const pledge = [
      'fiscalGoal:long_text:entry',
      'shortTermPlan:long_text:entry',
      'rating:rating:entry',
      'kpiActuals:kpi_table:entry',
      'progress:long_text:entry!',
      'reason:long_text:entry!',
    ];
    expect(shape(byCode.get('pledge-monthly')!)).toEqual(pledge);
    expect(shape(byCode.get('pledge-halfyear')!)).toEqual(pledge);
    expect(shape(byCode.get('pledge-status-half')!)).toEqual(['progress:long_text:entry!', 'rating:rating:entry', 'reason:long_text:entry!?']);
    expect(shape(byCode.get('action-plan-yearly')!)).toEqual(['rating:rating:entry', 'progress:long_text:entry!', 'reason:long_text:entry!?']);
    expect(byCode.get('action-plan-yearly')!.fields[2].visible).toEqual({ in: [{ var: 'rating' }, ['△', '×']] });
    expect(shape(byCode.get('department-goals')!)).toEqual([
      'basicPolicy:long_text:department',
      'departmentWork:long_text:department',
      'rating:rating:entry',
      'note:long_text:entry',
      'summary:long_text:department!',
    ]);
    expect(byCode.get('department-goals')!.approvalRoute.map((s) => s.kind)).toEqual(['evaluator', 'planning']);
    expect(shape(byCode.get('program-evaluation')!)).toEqual([
      'kpiActuals:kpi_table:entry!',
      'shortfallReason:long_text:entry!?',
      'improvements:long_text:entry',
      'issues:long_text:entry',
      'rating:rating:entry',
      'reason:long_text:entry!',
      'direction:single_choice:entry!',
    ]);
    expect([...byCode.values()].map((tpl) => `${tpl.code}:${tpl.periodType}:${tpl.scaleCode}:${tpl.layout}`).sort()).toEqual(
      [
        'action-plan-yearly:fiscal_year:action4:sheet',
        'department-goals:fiscal_year:goal3:list',
        'pledge-halfyear:half_year:progress4:list',
        'pledge-monthly:monthly:progress4:list',
        'pledge-status-half:half_year:abcd:list',
        'program-evaluation:fiscal_year:abc3:sheet',
      ].sort(),
    );
    const scales = await t.http().get('/api/scales').set(bearer(token)).expect(200);
    expect(scales.body.find((s: { code: string }) => s.code === 'abc3')).toMatchObject({
      options: [{ value: 'A' }, { value: 'B' }, { value: 'C' }],
      reasonRequiredFor: ['C'],
    });
  });

  it('gives the plans their item attributes', async () => {
    const rows: { code: string; keys: string[] }[] = await t.db.query(
      `SELECT code, ARRAY(SELECT f ->> 'key' FROM jsonb_array_elements(item_fields) f) AS keys FROM plans ORDER BY code`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.code, r.keys]))).toEqual({
      'action-plan-r3-r6': ['purpose', 'actions', 'yearlyPlan'],
      'department-goals-2024': [],
      'pledge-status': [],
      'pledges-2023': [],
      'program-evaluation-demo': ['legalBasis', 'overview', 'budget', 'settlement', 'staffRegular', 'staffOther', 'sdgs', 'classification'],
    });
  });

  describe('the action plan', () => {
    /** The program's item (sub-number '' or ①②…) and its rating per published fiscal year, for one of its sections. */
    const history = async (number: number, subNumber: string, section: string) =>
      (await t.db.query(
        `SELECT c.period_key AS "periodKey", e.state, e.rating, e.reason
           FROM entries e JOIN cycles c ON c.id = e.cycle_id JOIN plan_items i ON i.id = e.item_id JOIN sections s ON s.id = e.section_id
          WHERE i.plan_id = $1 AND i.number = $2 AND i.sub_number = $3 AND s.name = $4 ORDER BY c.period_start`,
        [await planId('action-plan-r3-r6'), number, subNumber, section],
      )) as { periodKey: string; state: string; rating: string | null; reason: string | null }[];

    it('has an item per 年次計画 row with its 年次計画 for 令和3–6年度 and the sheet’s 担当課', async () => {
      const items: { number: number; sub_number: string; title: string; category: string; attributes: Record<string, unknown>; sections: string[] }[] =
        await t.db.query(
          `SELECT i.number, i.sub_number, i.title, i.category, i.attributes,
                ARRAY(SELECT s.name FROM plan_item_sections p JOIN sections s ON s.id = p.section_id WHERE p.item_id = i.id ORDER BY p.sort) AS sections
           FROM plan_items i WHERE i.plan_id = $1 ORDER BY i.number, i.sub_number`,
          [await planId('action-plan-r3-r6')],
        );
      expect(items).toHaveLength(105);
      expect(new Set(items.map((i) => i.number)).size).toBe(77);
      // From action-plan-yearly.txt, 自治基本条例に基づく市政運営のルール制度化・体系化 ('→' is the year before).
      expect(items[0]).toMatchObject({
        number: 1,
        sub_number: '',
        title: '自治基本条例に基づく市政運営のルール制度化・体系化',
        category: '①ーア 自治基本条例に基づく自治の推進',
        sections: ['企画調整課'],
        attributes: {
          yearlyPlan: {
            '2021': '条例案の検討 パブリックコメント、意見交換会の実施状況集約 ・公表 条例の制定',
            '2022': '条例の施行',
            '2023': '条例の施行',
            '2024': '条例の施行',
          },
        },
      });
      expect(items[0].attributes.purpose).toMatch(/^これまで本市が培ってきた市民参加や市民自治の歴史/u);
      expect(items[0].attributes.actions).toMatch(/^武蔵野市自治基本条例（仮称）に関する懇談会での議論を踏まえ/u);
      const years = new Set(items.flatMap((i) => Object.keys(i.attributes.yearlyPlan as object)));
      expect([...years].sort()).toEqual(['2021', '2022', '2023', '2024']);
      expect(items.filter((i) => Object.keys(i.attributes.yearlyPlan as object).length === 4).length).toBeGreaterThan(95);
      // A sheet with two rows: two sub-items, rated on their own; a named row keeps its heading.
      expect(items.filter((i) => i.number === 39).map((i) => `${i.sub_number}${i.title}`)).toEqual([
        '①保育人材等の確保・育成(保育人材)',
        '②保育人材等の確保・育成(相談員)',
      ]);
      expect(items.find((i) => i.number === 39)!.sections).toEqual(['子ども育成課', '子ども子育て支援課']);
      // '情報管理課（令和4年度より情報政策課）': one section, its former name kept in its history.
      expect(items.find((i) => i.number === 31)!.sections).toEqual(['情報政策課']);
      const [section] = await t.db.query(`SELECT id FROM sections WHERE name = '情報政策課'`);
      const view = await t.http().get(`/api/org/sections/${section.id}`).set(bearer(token)).expect(200);
      expect(view.body.displayName).toBe('情報政策課(令和4年度より。旧 情報管理課)');
      const names = await t.db.query(
        `SELECT name, to_char(valid_from, 'YYYY-MM-DD') AS "from", to_char(valid_to, 'YYYY-MM-DD') AS "to" FROM section_names WHERE section_id = $1 ORDER BY valid_from`,
        [section.id],
      );
      expect(names).toEqual([
        { name: '情報管理課', from: '2021-04-01', to: '2022-03-31' },
        { name: '情報政策課', from: '2022-04-01', to: null },
      ]);
    });

    it('publishes 令和3–5年度 with the symbols of the report, checked by hand for a few sheets', async () => {
      for (const year of [2021, 2022, 2023]) expect(await cycleOf('action-plan-yearly', `FY${year}`)).toMatchObject({ state: 'published' });
      expect(await cycleOf('action-plan-yearly', 'FY2024')).toBeUndefined();
      const marks = async (number: number, sub: string, section: string) =>
        (await history(number, sub, section)).map((h) => `${h.periodKey}:${h.rating ?? h.state}`);
      // 自治基本条例…: ○ △ △, with the reason printed for the last year.
      expect(await marks(1, '', '企画調整課')).toEqual(['FY2021:○', 'FY2022:△', 'FY2023:△']);
      expect((await history(1, '', '企画調整課'))[2].reason).toBe('これまでの経緯や現状を総合的に勘案し、住民投票制度についての議論は凍結した。');
      // エリアマネジメント活動の支援策の検討と展開: × ○ ○.
      expect(await marks(20, '', 'まちづくり推進課')).toEqual(['FY2021:×', 'FY2022:○', 'FY2023:○']);
      // 吉祥寺東町一丁目市有地利活用: ◎ ○ △ and its reason.
      expect(await marks(58, '', '資産活用課')).toEqual(['FY2021:◎', 'FY2022:○', 'FY2023:△']);
      expect((await history(58, '', '資産活用課'))[2].reason).toMatch(/^事業者の応募がなく/u);
      // 海外都市交流のあり方の検討, second row (日本武蔵野センター): ◎ × ×.
      expect(await marks(69, '②', '多文化共生・交流課')).toEqual(['FY2021:◎', 'FY2022:×', 'FY2023:×']);
      // 市職員の人件費の見える化: ○ ◎ and '—' for 令和5年度, for both sections.
      expect(await marks(25, '', '人事課')).toEqual(['FY2021:○', 'FY2022:◎', 'FY2023:not_submitted']);
      expect(await marks(25, '', '企画調整課')).toEqual(['FY2021:○', 'FY2022:◎', 'FY2023:not_submitted']);
      const fy2023 = await cycleOf('action-plan-yearly', 'FY2023');
      expect(fy2023.label).toBe('行財政改革アクションプラン 実施状況 令和5年度');
      await t.http().get(`/api/cycles/${fy2023.id}/summary`).set(bearer(token)).expect(200);
      await t.http().get(`/public/cycles/${fy2023.id}`).expect(200);
    });
  });

  describe('the department goals', () => {
    it('publishes 令和6年度 with 政策経営部’s 基本方針 and 総括 exactly as published, under its head’s name', async () => {
      const cycle = await cycleOf('department-goals', 'FY2024');
      expect(cycle).toMatchObject({ state: 'published', label: '部長目標 令和6年度' });
      const [dept] = await t.db.query(`SELECT d.id, u.login, u.name FROM departments d JOIN users u ON u.id = d.head_user_id WHERE d.name = '政策経営部'`);
      expect(dept).toMatchObject({ login: 'eval-seisaku', name: '神山 尚' });
      const res = await t.http().get(`/api/cycles/${cycle.id}/scope-values/department/${dept.id}`).set(bearer(token)).expect(200);
      expect(res.body).toMatchObject({ name: '政策経営部', headName: '神山 尚', editable: false });
      expect(res.body.values.basicPolicy).toBe('風通しの良い体制づくり！ 組織横断的な連携のもと、 責任ある立場で政策を牽引！');
      expect(res.body.values.summary).toBe(
        '相手のあること、財政的制約があることを除き、達成しました。市報のリニューアルは考え方を固めましたので、令和7年度中に実施します。公共施設再配置計画は、基本的な方向性を検討したので、これをベースに令和7年度に案を示していきます。',
      );
      expect(res.body.values.departmentWork).toMatch(/^政策経営部は、企画政策課、公共施設再編課、市長室、広報プロモーション課、財政課の5課で構成され/u);
      const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM scope_values WHERE cycle_id = $1 AND scope = 'department'`, [cycle.id]);
      expect(count).toBe(8);
      // 総務部 is the demo's own 総務部: its evaluator carries the published head's name.
      const [somu] = await t.db.query(`SELECT u.name FROM departments d JOIN users u ON u.id = d.head_user_id WHERE d.code = 'somu'`);
      expect(somu.name).toBe('矢吹 勇一');
    });

    it('has every goal accepted with its published result, written by the department’s lead section', async () => {
      const cycle = await cycleOf('department-goals', 'FY2024');
      const rows: { chapter: string; sub: string; section: string; state: string; rating: string; values: Record<string, string> }[] = await t.db.query(
        `SELECT i.chapter, i.sub_number AS sub, s.name AS section, e.state, e.rating, e."values"
           FROM entries e JOIN plan_items i ON i.id = e.item_id JOIN sections s ON s.id = e.section_id WHERE e.cycle_id = $1 ORDER BY i.number, i.sub_number`,
        [cycle.id],
      );
      expect(rows).toHaveLength(47);
      expect(rows.every((r) => r.state === 'accepted')).toBe(true);
      const goal = (dept: string, sub: string) => rows.find((r) => r.chapter === dept && r.sub === sub)!;
      expect(goal('政策経営部', '①')).toMatchObject({ section: '企画政策課', rating: '達成', values: {} });
      expect(goal('政策経営部', '④')).toMatchObject({ rating: '達成', values: { note: '公表資料の結果欄の表記は「着手 達成」' } });
      expect(['③', '④'].map((s) => goal('市民環境部', s).rating)).toEqual(['未達成', '未達成']);
      expect(goal('子ども未来部', '⑥')).toMatchObject({ section: '子育て支援課', rating: '未達成' });
      expect(goal('教育部', '③')).toMatchObject({ section: '教育指導課', rating: '着手', values: { note: '公表資料の結果欄の表記は「一部達成」' } });
      const summary = await t.http().get(`/api/cycles/${cycle.id}/summary`).set(bearer(token)).expect(200);
      expect(summary.body.ratings.map((r: { value: string; count: number }) => `${r.value}${r.count}`)).toEqual(['達成43', '着手1', '未達成3']);
    });
  });

  it('opens the program evaluation of the fiscal year just ended, one sheet per program, with targets for that year', async () => {
    const cycle = await cycleOf('program-evaluation', 'FY2025');
    expect(cycle).toMatchObject({ state: 'open', label: expect.stringContaining('令和7年度') });
    const rows = await t.db.query(
      `SELECT e.state, (SELECT count(*)::int FROM plan_item_kpis k WHERE k.item_id = e.item_id AND k.targets ? '2025') AS targets
         FROM entries e WHERE e.cycle_id = $1`,
      [cycle.id],
    );
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r).toMatchObject({ state: 'not_started', targets: expect.any(Number) });
    expect(rows.every((r: { targets: number }) => r.targets > 0)).toBe(true);
  });

  it('gives each demo program attributes, KPIs (a milestone, lower-is-better ones) and an evaluator of its department', async () => {
    const items: {
      title: string;
      attributes: Record<string, unknown>;
      evaluator: string;
      roles: string[];
      evaluator_dept: number;
      item_dept: number;
      kpis: { name: string; kind: string; direction: string; targets: Record<string, unknown> }[];
    }[] = await t.db.query(
      `SELECT i.title, i.attributes, u.name AS evaluator, u.roles, us.department_id AS evaluator_dept, s.department_id AS item_dept,
                (SELECT json_agg(json_build_object('name', k.name, 'kind', k.kind, 'direction', k.direction, 'targets', k.targets) ORDER BY k.sort)
                   FROM plan_item_kpis k WHERE k.item_id = i.id) AS kpis
           FROM plan_items i JOIN plans p ON p.id = i.plan_id AND p.code = 'program-evaluation-demo'
           JOIN plan_item_sections pis ON pis.item_id = i.id JOIN sections s ON s.id = pis.section_id
           JOIN users u ON u.id = i.evaluator_user_id JOIN sections us ON us.id = u.section_id
          ORDER BY i.number`,
    );
    expect(items).toHaveLength(5);
    const [{ name }] = await t.db.query(`SELECT name FROM plans WHERE code = 'program-evaluation-demo'`);
    expect(name).toContain('デモ');
    for (const i of items) {
      expect(i.roles).toEqual(['evaluator']);
      expect(i.evaluator_dept).toBe(i.item_dept);
      expect(i.kpis.length).toBeGreaterThanOrEqual(2);
      expect(i.attributes).toMatchObject({ budget: { '2023': expect.any(Number), '2024': expect.any(Number) }, staffRegular: { '2024': expect.any(Number) } });
    }
    expect(items[0]).toMatchObject({ title: '通学路交通安全対策事業', evaluator: '市民部参事 高橋 健一' });
    expect(items[0].kpis[0]).toEqual({
      name: '通学路における児童の交通事故件数',
      kind: 'numeric',
      direction: 'lower',
      targets: { '2023': 5, '2024': 4, '2025': 4 },
    });
    expect(items[1].kpis[0]).toEqual({
      name: '地域防災計画の改定',
      kind: 'milestone',
      direction: 'higher',
      targets: { '2023': '素案作成', '2024': '策定完了', '2025': '策定完了' },
    });
    expect(items[1].attributes).toMatchObject({ staffRegular: { '2024': 2.25 }, sdgs: ['11', '13', '17'], legalBasis: '災害対策基本法第42条' });
  });

  it('a second run creates nothing and writes no audit row', async () => {
    const snapshot = () =>
      t.db.query(
        `SELECT (SELECT count(*)::int FROM cycle_templates) AS templates, (SELECT sum(version)::int FROM cycle_templates) AS template_versions,
                (SELECT count(*)::int FROM rating_scales) AS scales, (SELECT count(*)::int FROM cycles) AS cycles,
                (SELECT count(*)::int FROM entries) AS entries, (SELECT count(*)::int FROM scope_values) AS scope_values,
                (SELECT count(*)::int FROM plan_items) AS items, (SELECT count(*)::int FROM plan_item_kpis) AS kpis,
                (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM audit_log) AS audit`,
      );
    const before = await snapshot();
    await seedApp.get(SeedService).seed();
    expect(await seedApp.get(SeedHistoryService).seed(undefined, TODAY)).toEqual({ cyclesCreated: 0, templatesCreated: 0, formsAdded: 0 });
    expect(await snapshot()).toEqual(before);
  });
});

describe('demo seed on a database seeded before forms', () => {
  let t: TestApp;
  let seedApp: INestApplicationContext;

  beforeAll(async () => {
    t = await createTestApp();
    seedApp = await NestFactory.createApplicationContext(SeedAppModule.forRoot(t.config), { logger: ['error'] });
  });
  afterAll(async () => {
    await seedApp.close();
    await t.close();
  });

  it('gives the old templates their forms by update, and the cycles opened before keep the rules they ran with', async () => {
    await seedApp.get(SeedService).seed();
    // What the first version of the seed left: the pledge template with the six default fields, a cycle opened under it.
    const [admin] = await t.db.query(`SELECT id, name, roles FROM users WHERE login = 'admin'`);
    const actor = { ...admin, sectionId: null, departmentId: null };
    const [plan] = await t.db.query(`SELECT id FROM plans WHERE code = 'pledges-2023'`);
    const old = await seedApp
      .get(TemplatesService)
      .create({ code: 'pledge-monthly', name: '市長公約 月次進捗', planId: plan.id, periodType: 'monthly', scaleCode: 'progress4' }, actor);
    expect(old.fields).toEqual(DEFAULT_FORM);
    const history = seedApp.get(SeedHistoryService);
    const cycles = seedApp.get(CyclesService);
    const { cycle } = await cycles.ensure({ templateId: old.id, periodKey: '2023-10' }, null);
    await cycles.act(cycle.id, { action: 'open' }, null);

    expect(await history.seed(undefined, TODAY)).toEqual({ cyclesCreated: 8, templatesCreated: 5, formsAdded: 1 });
    const [template] = await t.db.query(`SELECT fields, layout, version FROM cycle_templates WHERE code = 'pledge-monthly'`);
    expect(template.fields.map((f: { key: string }) => f.key)).toEqual(['fiscalGoal', 'shortTermPlan', 'rating', 'kpiActuals', 'progress', 'reason']);
    expect(template.version).toBe(old.version + 1);
    const [opened] = await t.db.query(`SELECT state, rules FROM cycles WHERE id = $1`, [cycle.id]);
    expect(opened.state).toBe('open');
    expect(opened.rules.fields.map((f: { key: string }) => f.key)).toEqual(DEFAULT_FORM.map((f) => f.key));
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'template.update' AND subject_id = $1`, [String(old.id)]);
    expect(count).toBe(1);
    expect((await history.seed(undefined, TODAY)).formsAdded).toBe(0);
  });
});
