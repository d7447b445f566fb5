import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

describe('entries: draft, submit, optimistic locking, views', () => {
  let t: TestApp;
  let f: CycleFixture;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
  });
  afterAll(() => t.close());

  async function openCycle(templateCode: string, periodKey: string, scaleCode = 'progress4') {
    let [tpl] = await t.db.query(`SELECT id FROM cycle_templates WHERE code = $1`, [templateCode]);
    if (!tpl) {
      tpl = (
        await t
          .http()
          .post('/api/templates')
          .set(auth(f.users.planning.token))
          .send({ code: templateCode, name: '市長公約 進捗', planId: f.planId, periodType: 'half_year', scaleCode })
          .expect(201)
      ).body;
    }
    const cycle = (await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId: tpl.id, periodKey }).expect(201)).body;
    await t.http().post(`/api/cycles/${cycle.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'open' }).expect(200);
    return { templateId: tpl.id as number, cycleId: cycle.id as number };
  }

  async function entryOf(cycleId: number, itemId: number, sectionId: number) {
    const [row] = await t.db.query(`SELECT * FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycleId, itemId, sectionId]);
    return row;
  }

  it("shows a chief only their section's open entries, with deadline and Japanese state", async () => {
    await openCycle('mine-1', '2024-H1');
    const res = await t.http().get('/api/entries/mine').set(auth(f.users.chiefA.token)).expect(200);
    expect(res.body).toHaveLength(2);
    expect(new Set(res.body.map((e: { sectionId: number }) => e.sectionId))).toEqual(new Set([f.sections.a]));
    expect(res.body[0]).toMatchObject({ state: 'not_started', stateLabel: '未着手', cycleState: 'open' });
    expect(res.body[0].submissionDeadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('saves a draft, keeps every version, and refuses a stale write with 409 leaving the row unchanged', async () => {
    const { cycleId } = await openCycle('lock-1', '2024-H1');
    const entry = await entryOf(cycleId, f.items[1], f.sections.a);
    const saved = await t
      .http()
      .put(`/api/entries/${entry.id}`)
      .set(auth(f.users.staffA.token))
      .send({ version: 1, rating: '○', progress: '令和6年1月からの実施に向け準備を進めた。' })
      .expect(200);
    expect(saved.body).toMatchObject({ state: 'draft', version: 2, rating: '○' });

    const stale = await t
      .http()
      .put(`/api/entries/${entry.id}`)
      .set(auth(f.users.chiefA.token))
      .send({ version: 1, progress: '上書きしようとした内容' })
      .expect(409);
    expect(stale.body).toMatchObject({ field: 'version', currentVersion: 2 });
    const stored = await entryOf(cycleId, f.items[1], f.sections.a);
    expect(stored).toMatchObject({ version: 2, progress: '令和6年1月からの実施に向け準備を進めた。', rating: '○' });
    const versions = await t.db.query(`SELECT version, state, data->>'progress' AS progress FROM entry_versions WHERE entry_id = $1`, [entry.id]);
    expect(versions).toEqual([{ version: 2, state: 'draft', progress: '令和6年1月からの実施に向け準備を進めた。' }]);
  });

  it('refuses △ without a reason on submit, naming the field, and stores nothing', async () => {
    const { cycleId } = await openCycle('reason-1', '2024-H1');
    const entry = await entryOf(cycleId, f.items[0], f.sections.a);
    const res = await t
      .http()
      .post(`/api/entries/${entry.id}/submit`)
      .set(auth(f.users.chiefA.token))
      .send({ version: 1, rating: '△', progress: '条例改正が遅れている' })
      .expect(422);
    expect(res.body.field).toBe('reason');
    expect(res.body.message).toMatch(/理由/);
    expect(await entryOf(cycleId, f.items[0], f.sections.a)).toMatchObject({ state: 'not_started', version: 1, rating: null });

    const ok = await t
      .http()
      .post(`/api/entries/${entry.id}/submit`)
      .set(auth(f.users.chiefA.token))
      .send({ version: 1, rating: '△', progress: '条例改正が遅れている', reason: '議会日程の変更のため' })
      .expect(200);
    expect(ok.body).toMatchObject({ state: 'submitted', version: 2, authorUserId: f.users.chiefA.id });
    const audit = await t.db.query(`SELECT action, actor_user_id, after->>'state' AS state FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1`, [
      String(entry.id),
    ]);
    expect(audit).toEqual([{ action: 'entry.submit', actor_user_id: f.users.chiefA.id, state: 'submitted' }]);
  });

  it('refuses an unknown rating and an edit by another section', async () => {
    const { cycleId } = await openCycle('perm-1', '2024-H1');
    const entry = await entryOf(cycleId, f.items[1], f.sections.a);
    const bad = await t.http().put(`/api/entries/${entry.id}`).set(auth(f.users.staffA.token)).send({ version: 1, rating: 'Z' }).expect(422);
    expect(bad.body.field).toBe('rating');
    await t.http().put(`/api/entries/${entry.id}`).set(auth(f.users.chiefB.token)).send({ version: 1, progress: 'x' }).expect(403);
    await t.http().get(`/api/entries/${entry.id}`).set(auth(f.users.chiefB.token)).expect(403);
    await t.http().get(`/api/entries/${entry.id}`).set(auth(f.users.evaluator.token)).expect(200);
    await t.http().put(`/api/entries/999999`).set(auth(f.users.staffA.token)).send({ version: 1 }).expect(404);
    const wrongKpi = await t
      .http()
      .put(`/api/entries/${entry.id}`)
      .set(auth(f.users.staffA.token))
      .send({ version: 1, kpiActuals: [{ kpiId: 999999, actual: 3 }] })
      .expect(422);
    expect(wrongKpi.body.field).toBe('kpiActuals[0].kpiId');
  });

  it('carries plan text forward and requires a reason when the rating worsens from last cycle', async () => {
    const first = await openCycle('carry-1', '2024-H1', 'abcd');
    const e1 = await entryOf(first.cycleId, f.items[1], f.sections.a);
    await t
      .http()
      .put(`/api/entries/${e1.id}`)
      .set(auth(f.users.staffA.token))
      .send({ version: 1, rating: 'B', fiscalGoal: '学校給食費の無償化', shortTermPlan: '補正予算の計上' })
      .expect(200);
    const second = await openCycle('carry-1', '2024-H2', 'abcd');
    const e2 = await entryOf(second.cycleId, f.items[1], f.sections.a);
    expect(e2).toMatchObject({ fiscal_goal: '学校給食費の無償化', short_term_plan: '補正予算の計上', previous_rating: 'B', previous_entry_id: e1.id });
    const worse = await t
      .http()
      .post(`/api/entries/${e2.id}/submit`)
      .set(auth(f.users.staffA.token))
      .send({ version: 1, rating: 'C', progress: '実施中' })
      .expect(422);
    expect(worse.body.field).toBe('reason');
    expect(worse.body.message).toMatch(/前回/);
    const detail = await t.http().get(`/api/entries/${e2.id}`).set(auth(f.users.staffA.token)).expect(200);
    expect(detail.body.previous).toMatchObject({ id: e1.id, rating: 'B' });
    expect(detail.body.scale.code).toBe('abcd');
    expect(detail.body.allowedActions).toEqual(expect.arrayContaining(['save', 'submit']));
    // The section's name, its own plan text and the editor's name come from their owners' reads.
    await t.db.query(`UPDATE plan_item_sections SET content = '課の取組' WHERE item_id = $1 AND section_id = $2`, [f.items[1], f.sections.a]);
    const [{ name: sectionName }] = await t.db.query(`SELECT name FROM sections WHERE id = $1`, [f.sections.a]);
    const [{ name: staffName }] = await t.db.query(`SELECT name FROM users WHERE id = $1`, [f.users.staffA.id]);
    const texts = await t.http().get(`/api/entries/${e1.id}`).set(auth(f.users.staffA.token)).expect(200);
    expect(texts.body.entry.sectionName).toBe(sectionName);
    expect(texts.body.item).toMatchObject({ sectionContent: '課の取組', sectionTargetDateText: null });
    expect(texts.body.versions).toEqual([expect.objectContaining({ version: 2, state: 'draft', editedBy: staffName })]);
  });

  it("filters a cycle's entries by section, state and rating; a chief sees only their section", async () => {
    const { cycleId } = await openCycle('filter-1', '2024-H1');
    const e = await entryOf(cycleId, f.items[1], f.sections.a);
    await t.http().put(`/api/entries/${e.id}`).set(auth(f.users.staffA.token)).send({ version: 1, rating: '☆' }).expect(200);
    const all = await t.http().get(`/api/cycles/${cycleId}/entries`).set(auth(f.users.planning.token)).expect(200);
    expect(all.body.total).toBe(4);
    const drafts = await t.http().get(`/api/cycles/${cycleId}/entries?state=draft&rating=☆`).set(auth(f.users.planning.token)).expect(200);
    expect(drafts.body.items.map((x: { id: number }) => x.id)).toEqual([e.id]);
    const bySection = await t.http().get(`/api/cycles/${cycleId}/entries?sectionId=${f.sections.b}`).set(auth(f.users.planning.token)).expect(200);
    expect(bySection.body.total).toBe(1);
    const chief = await t.http().get(`/api/cycles/${cycleId}/entries`).set(auth(f.users.chiefB.token)).expect(200);
    expect(chief.body.items.every((x: { sectionId: number }) => x.sectionId === f.sections.b)).toBe(true);
    await t.http().get(`/api/cycles/${cycleId}/entries?state=bogus`).set(auth(f.users.planning.token)).expect(400);
  });

  it('builds the items × periods matrix with the scale symbols', async () => {
    const h1 = await openCycle('matrix-1', '2024-H1');
    const h2 = await openCycle('matrix-1', '2024-H2');
    const a1 = await entryOf(h1.cycleId, f.items[0], f.sections.a);
    const a2 = await entryOf(h2.cycleId, f.items[0], f.sections.a);
    await t.http().put(`/api/entries/${a1.id}`).set(auth(f.users.staffA.token)).send({ version: 1, rating: '○' }).expect(200);
    await t.http().put(`/api/entries/${a2.id}`).set(auth(f.users.staffA.token)).send({ version: 1, rating: '☆' }).expect(200);
    const res = await t.http().get(`/api/templates/${h1.templateId}/matrix?fiscalYear=2024`).set(auth(f.users.planning.token)).expect(200);
    expect(res.body.columns.map((c: { label: string }) => c.label)).toEqual(['上半期', '下半期']);
    expect(res.body.rows).toHaveLength(4);
    const row = res.body.rows.find((r: { itemId: number; sectionId: number }) => r.itemId === f.items[0] && r.sectionId === f.sections.a);
    expect(row.cells.map((c: { symbol: string }) => c.symbol)).toEqual(['○', '☆']);
    expect(row.title).toBe('18歳までの医療費完全無料化');
  });

  it('suggests a rating from the KPI achievement rate of the fiscal year', async () => {
    const { cycleId } = await openCycle('kpi-1', '2024-H1');
    const e = await entryOf(cycleId, f.items[1], f.sections.a);
    const [kpi] = await t.db.query(`UPDATE plan_item_kpis SET targets = '{"2024": 20}' WHERE item_id = $1 RETURNING id`, [f.items[1]]);
    const none = await t.http().get(`/api/entries/${e.id}`).set(auth(f.users.staffA.token)).expect(200);
    expect(none.body.suggestion).toBeNull();
    await t
      .http()
      .put(`/api/entries/${e.id}`)
      .set(auth(f.users.staffA.token))
      .send({ version: 1, kpiActuals: [{ kpiId: kpi[0].id, actual: 10 }] })
      .expect(200);
    const half = await t.http().get(`/api/entries/${e.id}`).set(auth(f.users.staffA.token)).expect(200);
    expect(half.body.suggestion).toEqual({ rating: '△', achievementRate: 0.5 });
    await t
      .http()
      .put(`/api/entries/${e.id}`)
      .set(auth(f.users.staffA.token))
      .send({ version: 2, kpiActuals: [{ kpiId: kpi[0].id, actual: 20 }] })
      .expect(200);
    const full = await t.http().get(`/api/entries/${e.id}`).set(auth(f.users.staffA.token)).expect(200);
    expect(full.body.suggestion).toEqual({ rating: '☆', achievementRate: 1 });
  });

  it('refuses writes once the cycle is closed', async () => {
    const { cycleId } = await openCycle('closed-1', '2024-H1');
    const e = await entryOf(cycleId, f.items[2], f.sections.c);
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(auth(f.users.planning.token)).send({ action: 'force_close', reason: '締切' }).expect(200);
    const [planningChief] = await t.db.query(`SELECT id FROM users WHERE login = 'planning'`);
    expect(planningChief).toBeDefined();
    const res = await t.http().put(`/api/entries/${e.id}`).set(auth(f.users.planning.token)).send({ version: 2, progress: 'x' }).expect(409);
    expect(res.body.message).toMatch(/締め切られて/);
  });
});
