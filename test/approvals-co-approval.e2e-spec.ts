import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * 合議: a step approved by several parties. A step of three named evaluators needs all three
 * (each approval its own co_approvals row and audit row, the inbox counting 1/3, 2/3), one
 * return sends the entry back and resets the step; 'any' needs one; the item's other sections
 * approve by their chiefs; one person never approves two steps (or two parties).
 */
describe('approvals: 合議 (parallel co-approval)', () => {
  let t: TestApp;
  let f: CycleFixture;
  const co: { id: number; token: string }[] = [];
  let month = 4;

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    for (const n of [1, 2, 3]) co.push(await userWithToken(t, { login: `co-${n}`, roles: ['evaluator'], sectionId: null }));
  });
  afterAll(() => t?.close());

  const route = (coDef: object) => [
    { kind: 'section_chief', label: '所管課長' },
    { kind: 'co_approval', label: '合議', co: coDef },
    { kind: 'planning', label: '企画担当' },
  ];
  async function template(code: string, approvalRoute: object[]): Promise<number> {
    const res = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code, name: `合議 ${code}`, planId: f.planId, periodType: 'monthly', scaleCode: 'progress4', approvalRoute })
      .expect(201);
    return res.body.id;
  }
  async function atCoStep(templateId: number, item = f.items[1]): Promise<{ id: number; version: number }> {
    const date = `2024-${String(month++).padStart(2, '0')}-01`;
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId, date }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    const [row] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycle.body.id,
      item,
      f.sections.a,
    ]);
    const submitted = await act(f.users.staffA.token, row.id, 'submit', { version: row.version, rating: '○', progress: '計画どおり' }).expect(200);
    const byChief = await act(f.users.chiefA.token, row.id, 'approve', { version: submitted.body.version }).expect(200);
    expect(byChief.body).toMatchObject({ state: 'in_review', currentStep: 1 });
    return { id: row.id, version: byChief.body.version };
  }
  const act = (token: string, id: number, action: string, payload: object) => t.http().post(`/api/entries/${id}/${action}`).set(bearer(token)).send(payload);
  async function inboxEntry(token: string, id: number) {
    const res = await t.http().get('/api/approvals/inbox').set(bearer(token)).expect(200);
    for (const g of res.body.groups) for (const s of g.sections) for (const e of s.entries) if (e.id === id) return e;
    return null;
  }
  const rows = (id: number) => t.db.query(`SELECT seat, user_id AS "userId", acted_by AS "actedBy" FROM co_approvals WHERE entry_id = $1 ORDER BY id`, [id]);

  it('refuses a 合議 step without parties, naming the field', async () => {
    const res = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({
        code: 'co-bad',
        name: '不備',
        planId: f.planId,
        periodType: 'monthly',
        scaleCode: 'progress4',
        approvalRoute: route({ rule: 'all', parties: 'named', userIds: [] }),
      })
      .expect(422);
    expect(JSON.stringify(res.body)).toContain('approvalRoute.1.co.userIds');
    const ghost = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({
        code: 'co-ghost',
        name: '不在',
        planId: f.planId,
        periodType: 'monthly',
        scaleCode: 'progress4',
        approvalRoute: route({ rule: 'all', parties: 'named', userIds: [999999] }),
      })
      .expect(422);
    expect(ghost.body.message).toContain('999999');
  });

  it('a step of three needs all three; one return resets it', async () => {
    const tpl = await template('co-all', route({ rule: 'all', parties: 'named', userIds: co.map((u) => u.id) }));
    let entry = await atCoStep(tpl);
    for (const u of co) expect(await inboxEntry(u.token, entry.id)).toMatchObject({ stepText: '合議（0/3 承認済）' });
    expect(await inboxEntry(f.users.planning.token, entry.id)).toBeNull();

    const first = await act(co[0].token, entry.id, 'approve', { version: entry.version, comment: '異議なし' }).expect(200);
    expect(first.body).toMatchObject({ state: 'in_review', currentStep: 1 });
    expect(await rows(entry.id)).toEqual([{ seat: `u:${co[0].id}`, userId: co[0].id, actedBy: co[0].id }]);
    const [audit] = await t.db.query(
      `SELECT actor_user_id, comment FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1 AND action = 'entry.approve' ORDER BY id DESC LIMIT 1`,
      [String(entry.id)],
    );
    expect(audit).toEqual({ actor_user_id: co[0].id, comment: `異議なし\n合議（1/3 承認済）: co-1` });
    expect(await inboxEntry(co[0].token, entry.id)).toBeNull();
    expect((await act(co[0].token, entry.id, 'approve', { version: first.body.version })).status).toBe(403);
    expect(await inboxEntry(co[1].token, entry.id)).toMatchObject({ stepText: '合議（1/3 承認済）' });
    const actions = await t.http().get(`/api/entries/${entry.id}/actions`).set(bearer(f.users.planning.token)).expect(200);
    expect(actions.body.step).toMatchObject({
      kind: 'co_approval',
      text: '合議（1/3 承認済）',
      parties: [
        { label: 'co-1', approved: true },
        { label: 'co-2', approved: false },
        { label: 'co-3', approved: false },
      ],
    });

    const second = await act(co[1].token, entry.id, 'approve', { version: first.body.version }).expect(200);
    expect(second.body.currentStep).toBe(1);
    const returned = await act(co[2].token, entry.id, 'return', { version: second.body.version, comment: '他課との調整結果を記載してください' }).expect(200);
    expect(returned.body).toMatchObject({ state: 'returned', currentStep: 0 });
    expect(await rows(entry.id)).toEqual([]);

    // Resubmitted: the step starts again from 0/3 and needs all three.
    const again = await act(f.users.staffA.token, entry.id, 'submit', { version: returned.body.version, progress: '調整結果を追記' }).expect(200);
    const chief = await act(f.users.chiefA.token, entry.id, 'approve', { version: again.body.version }).expect(200);
    expect(await inboxEntry(co[0].token, entry.id)).toMatchObject({ stepText: '合議（0/3 承認済）' });
    entry = { id: entry.id, version: chief.body.version };
    for (const [i, u] of co.entries()) {
      const res = await act(u.token, entry.id, 'approve', { version: entry.version }).expect(200);
      expect(res.body.currentStep).toBe(i < 2 ? 1 : 2);
      entry.version = res.body.version;
    }
    expect(await inboxEntry(f.users.planning.token, entry.id)).toMatchObject({ stepLabel: '企画担当' });
  });

  it("'any' needs one of them", async () => {
    const tpl = await template('co-any', route({ rule: 'any', parties: 'named', userIds: co.map((u) => u.id) }));
    const entry = await atCoStep(tpl);
    expect(await inboxEntry(co[2].token, entry.id)).toMatchObject({ stepText: '合議（いずれか一人・0/1 承認済）' });
    const res = await act(co[2].token, entry.id, 'approve', { version: entry.version }).expect(200);
    expect(res.body).toMatchObject({ state: 'in_review', currentStep: 2 });
    expect(await inboxEntry(co[0].token, entry.id)).toBeNull();
  });

  it("the item's other sections approve by their chiefs; the approver of an earlier step is no party", async () => {
    // Item 1 is reported by sections A and B: section A's entry is approved in 合議 by B's chief.
    const tpl = await template('co-sections', route({ rule: 'all', parties: 'item_sections' }));
    const entry = await atCoStep(tpl, f.items[0]);
    expect(await inboxEntry(f.users.chiefB.token, entry.id)).toMatchObject({ stepText: '合議（0/1 承認済）' });
    expect((await act(f.users.chiefA.token, entry.id, 'approve', { version: entry.version })).status).toBe(403);
    const res = await act(f.users.chiefB.token, entry.id, 'approve', { version: entry.version }).expect(200);
    expect(res.body.currentStep).toBe(2);
    expect(await rows(entry.id)).toEqual([{ seat: `s:${f.sections.b}`, userId: f.users.chiefB.id, actedBy: f.users.chiefB.id }]);

    // Chief A approved the chief step, so chief A, named in the 合議, is left out (and says so).
    const tpl2 = await template('co-sod', route({ rule: 'all', parties: 'named', userIds: [f.users.chiefA.id, co[0].id] }));
    const e2 = await atCoStep(tpl2);
    expect(await inboxEntry(f.users.chiefA.token, e2.id)).toBeNull();
    expect(await inboxEntry(co[0].token, e2.id)).toMatchObject({ stepText: '合議（0/1 承認済）' });
    const [row] = await t.db.query(`SELECT route_notes FROM entries WHERE id = $1`, [e2.id]);
    expect(row.route_notes).toContain('合議: chief-aは承認できる人がいないため除外');
    await act(co[0].token, e2.id, 'approve', { version: e2.version }).expect(200);
  });
});
