import { createTestApp, TestApp } from './utils/test-app';
import { bearer, createDepartment, createSection, userWithToken } from './utils/factories';

describe('plans and items (e2e)', () => {
  let t: TestApp;
  let planning: { id: number; token: string };
  let staffA: { id: number; token: string };
  let chiefB: { id: number; token: string };
  let evaluator: { id: number; token: string };
  let a: number;
  let b: number;
  let planId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const dept = await createDepartment(t);
    a = await createSection(t, { departmentId: dept, code: 'a', name: 'こども支援課' });
    b = await createSection(t, { departmentId: dept, code: 'b', name: '保育幼稚園課' });
    planning = await userWithToken(t, { login: 'planning', roles: ['planning'] });
    staffA = await userWithToken(t, { login: 'staff-a', roles: ['staff'], sectionId: a });
    chiefB = await userWithToken(t, { login: 'chief-b', roles: ['chief'], sectionId: b });
    evaluator = await userWithToken(t, { login: 'eval', roles: ['evaluator'] });
  });
  afterAll(() => t.close());

  it('lets planning create a plan and staff not', async () => {
    await t.http().post('/api/plans').set(bearer(staffA.token)).send({ code: 'pledges', name: '市長公約', kind: 'pledge' }).expect(403);
    const res = await t.http().post('/api/plans').set(bearer(planning.token)).send({ code: 'pledges', name: '市長公約', kind: 'pledge' }).expect(201);
    planId = res.body.id;
    expect(res.body).toMatchObject({ code: 'pledges', kind: 'pledge', itemCount: 0 });
    const bad = await t.http().post('/api/plans').set(bearer(planning.token)).send({ code: 'x', name: '', kind: 'wish' }).expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/kind/);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM plans`);
    expect(count).toBe(1);
  });

  it('creates an item with sections and KPIs, and staff cannot', async () => {
    const body = {
      number: 1,
      title: '18歳までの医療費完全無料化',
      chapter: '第1章',
      targetDateText: 'R6.10',
      sections: [{ sectionId: a, content: '子ども医療費の助成' }, { sectionId: b }],
      kpis: [{ name: '助成対象年齢', unit: '歳', targets: { '2024': 18 } }],
      evaluatorUserId: evaluator.id,
      budgetThousandYen: 120000,
    };
    await t.http().post(`/api/plans/${planId}/items`).set(bearer(staffA.token)).send(body).expect(403);
    const res = await t.http().post(`/api/plans/${planId}/items`).set(bearer(planning.token)).send(body).expect(201);
    expect(res.body).toMatchObject({
      number: 1,
      subNumber: '',
      version: 1,
      targetDateText: 'R6.10',
      budgetThousandYen: 120000,
      sections: [
        { sectionId: a, sectionName: 'こども支援課', content: '子ども医療費の助成' },
        { sectionId: b, sectionName: '保育幼稚園課', content: null },
      ],
      kpis: [{ name: '助成対象年齢', unit: '歳', targets: { '2024': 18 } }],
    });
    await t
      .http()
      .post(`/api/plans/${planId}/items`)
      .set(bearer(planning.token))
      .send({ number: 2, title: '給食費無料化', sections: [{ sectionId: b }] })
      .expect(201);
    const dup = await t
      .http()
      .post(`/api/plans/${planId}/items`)
      .set(bearer(planning.token))
      .send({ number: 2, title: 'x', sections: [{ sectionId: b }] })
      .expect(409);
    expect(dup.body.field).toBe('number');
    const rows = await t.db.query(`SELECT number, title FROM plan_items WHERE plan_id = $1 ORDER BY number`, [planId]);
    expect(rows).toEqual([
      { number: 1, title: '18歳までの医療費完全無料化' },
      { number: 2, title: '給食費無料化' },
    ]);
    const [audit] = await t.db.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'item.create'`);
    expect(audit.count).toBe(2);
  });

  it('rejects bad input: 400 naming the field, 422 naming an unknown section', async () => {
    const noSections = await t.http().post(`/api/plans/${planId}/items`).set(bearer(planning.token)).send({ number: 3, title: 'x', sections: [] }).expect(400);
    expect(JSON.stringify(noSections.body.message)).toMatch(/sections/);
    const badNumber = await t
      .http()
      .post(`/api/plans/${planId}/items`)
      .set(bearer(planning.token))
      .send({ number: 0, title: 'x', sections: [{ sectionId: a }] })
      .expect(400);
    expect(JSON.stringify(badNumber.body.message)).toMatch(/number/);
    const nested = await t
      .http()
      .post(`/api/plans/${planId}/items`)
      .set(bearer(planning.token))
      .send({ number: 3, title: 'x', sections: [{ sectionId: 'a' }] })
      .expect(400);
    expect(JSON.stringify(nested.body.message)).toMatch(/sections\.0\.sectionId/);
    const unknown = await t
      .http()
      .post(`/api/plans/${planId}/items`)
      .set(bearer(planning.token))
      .send({ number: 3, title: 'x', sections: [{ sectionId: 99999 }] })
      .expect(422);
    expect(unknown.body.field).toBe('sections[0].sectionId');
    await t
      .http()
      .post(`/api/plans/99999/items`)
      .set(bearer(planning.token))
      .send({ number: 3, title: 'x', sections: [{ sectionId: a }] })
      .expect(404);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM plan_items WHERE number = 3`);
    expect(count).toBe(0);
  });

  it('shows staff and chiefs only their section items; another section item by id is 403', async () => {
    const items = await t.http().get(`/api/plans/${planId}/items`).set(bearer(staffA.token)).expect(200);
    expect(items.body.map((i: { number: number }) => i.number)).toEqual([1]);
    const forB = await t.http().get(`/api/plans/${planId}/items`).set(bearer(chiefB.token)).expect(200);
    expect(forB.body.map((i: { number: number }) => i.number)).toEqual([1, 2]);
    const all = await t.http().get(`/api/plans/${planId}/items`).set(bearer(evaluator.token)).expect(200);
    expect(all.body).toHaveLength(2);
    const [item2] = await t.db.query(`SELECT id FROM plan_items WHERE plan_id = $1 AND number = 2`, [planId]);
    const denied = await t.http().get(`/api/items/${item2.id}`).set(bearer(staffA.token)).expect(403);
    expect(denied.body.message).toMatch(/権限/);
    await t.http().get(`/api/items/${item2.id}`).set(bearer(chiefB.token)).expect(200);
    await t.http().get(`/api/items/999999`).set(bearer(planning.token)).expect(404);
  });

  it('filters by chapter, section and title', async () => {
    const q = (query: string) => t.http().get(`/api/plans/${planId}/items?${query}`).set(bearer(planning.token)).expect(200);
    expect((await q('chapter=' + encodeURIComponent('第1章'))).body.map((i: { number: number }) => i.number)).toEqual([1]);
    expect((await q(`sectionId=${a}`)).body.map((i: { number: number }) => i.number)).toEqual([1]);
    expect((await q('q=' + encodeURIComponent('給食'))).body.map((i: { number: number }) => i.number)).toEqual([2]);
    expect((await q('q=%25')).body).toEqual([]);
  });

  it('updates with optimistic locking: a stale version gives 409 with the current version', async () => {
    const [item] = await t.db.query(`SELECT id FROM plan_items WHERE plan_id = $1 AND number = 1`, [planId]);
    const ok = await t
      .http()
      .patch(`/api/items/${item.id}`)
      .set(bearer(planning.token))
      .send({ version: 1, title: '18歳までの医療費完全無料化(改)', sections: [{ sectionId: b }], kpis: [{ name: '助成対象年齢', unit: '才' }] })
      .expect(200);
    expect(ok.body).toMatchObject({
      version: 2,
      title: '18歳までの医療費完全無料化(改)',
      sections: [{ sectionId: b }],
      kpis: [{ name: '助成対象年齢', unit: '才', targets: { '2024': 18 } }],
    });
    const stale = await t.http().patch(`/api/items/${item.id}`).set(bearer(planning.token)).send({ version: 1, title: 'lost update' }).expect(409);
    expect(stale.body).toMatchObject({ field: 'version', currentVersion: 2 });
    await t.http().patch(`/api/items/${item.id}`).set(bearer(planning.token)).send({ title: 'no version' }).expect(400);
    const [row] = await t.db.query(`SELECT title, version FROM plan_items WHERE id = $1`, [item.id]);
    expect(row).toEqual({ title: '18歳までの医療費完全無料化(改)', version: 2 });
    const sections = await t.db.query(`SELECT section_id FROM plan_item_sections WHERE item_id = $1`, [item.id]);
    expect(sections).toEqual([{ section_id: b }]);
    // Section a no longer sees the item.
    await t.http().get(`/api/items/${item.id}`).set(bearer(staffA.token)).expect(403);
    const [audit] = await t.db.query(`SELECT before->>'title' AS before, after->>'title' AS after FROM audit_log WHERE action = 'item.update'`);
    expect(audit).toEqual({ before: '18歳までの医療費完全無料化', after: '18歳までの医療費完全無料化(改)' });
  });

  it('deletes an item (planning only)', async () => {
    const [item] = await t.db.query(`SELECT id FROM plan_items WHERE plan_id = $1 AND number = 2`, [planId]);
    await t.http().delete(`/api/items/${item.id}`).set(bearer(chiefB.token)).expect(403);
    await t.http().delete(`/api/items/${item.id}`).set(bearer(planning.token)).expect(204);
    const rows = await t.db.query(`SELECT id FROM plan_items WHERE id = $1`, [item.id]);
    expect(rows).toEqual([]);
  });
});
