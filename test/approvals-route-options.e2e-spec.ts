import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, userWithToken } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Segregation of duties and the fallback approvers as a template's options. Item 2 (section A
 * only) has chief A as its evaluator, as where a section chief signs the program sheet: with
 * segregation, chief A approves one step at most and the evaluator step goes to the template's
 * fallback approver; without it, chief A approves both (the behaviour before the option).
 */
describe('approvals: segregation of duties and fallback approvers as template options', () => {
  let t: TestApp;
  let f: CycleFixture;
  let planning2: { id: number; token: string };
  let month = 4;

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    planning2 = await userWithToken(t, { login: 'planning-2', roles: ['planning'], sectionId: f.sections.c });
    await t.db.query(`UPDATE plan_items SET evaluator_user_id = $1 WHERE id = $2`, [f.users.chiefA.id, f.items[1]]);
  });
  afterAll(() => t?.close());

  async function template(code: string, approvalOptions?: object): Promise<number> {
    const res = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code, name: `公約 ${code}`, planId: f.planId, periodType: 'monthly', scaleCode: 'progress4', ...(approvalOptions ? { approvalOptions } : {}) })
      .expect(201);
    return res.body.id;
  }
  async function freshEntry(templateId: number): Promise<{ id: number; version: number }> {
    const date = `2024-${String(month++).padStart(2, '0')}-01`;
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId, date }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    const [row] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycle.body.id,
      f.items[1],
      f.sections.a,
    ]);
    return row;
  }
  const act = (token: string, id: number, action: string, payload: object) => t.http().post(`/api/entries/${id}/${action}`).set(bearer(token)).send(payload);
  const body = (version: number) => ({ version, rating: '○', progress: '全校で実施した' });
  async function inboxEntry(token: string, id: number) {
    const res = await t.http().get('/api/approvals/inbox').set(bearer(token)).expect(200);
    for (const g of res.body.groups) for (const s of g.sections) for (const e of s.entries) if (e.id === id) return e;
    return null;
  }

  it('stores the options, on by default, and refuses a chain that never reaches planning, naming the field', async () => {
    const id = await template('defaults');
    const got = await t.http().get(`/api/templates/${id}`).set(bearer(f.users.planning.token)).expect(200);
    expect(got.body.approvalOptions).toEqual({
      segregation: true,
      fallbackApprovers: ['department_head', 'planning'],
      externalReview: { enabled: false, responseRequired: false },
    });
    const refused = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({
        code: 'dead-end',
        name: '行き止まり',
        planId: f.planId,
        periodType: 'monthly',
        scaleCode: 'progress4',
        approvalOptions: { segregation: true, fallbackApprovers: ['department_head'] },
      })
      .expect(422);
    expect(refused.body.field ?? refused.body.details?.field).toBe('approvalOptions.fallbackApprovers');
    expect(JSON.stringify(refused.body)).toContain('企画担当');
    expect(await t.db.query(`SELECT 1 FROM cycle_templates WHERE code = 'dead-end'`)).toHaveLength(0);
  });

  it("a chief who is also evaluator and author: the chief step is passed and the evaluator step goes to the template's fallback (planning), as the route says at submission", async () => {
    const entry = await freshEntry(await template('planning-fallback', { segregation: true, fallbackApprovers: ['planning'] }));
    const submitted = await act(f.users.chiefA.token, entry.id, 'submit', body(entry.version)).expect(200);
    expect(submitted.body).toMatchObject({ state: 'submitted', currentStep: 1 });
    const notes = ['所管課長の承認は作成者本人のため省略', '評価者が作成に関わったため、企画担当が評価者の段階を承認します'];
    expect(submitted.body.routeNotes).toEqual(notes);
    const [audit] = await t.db.query(`SELECT comment FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1 AND action = 'entry.submit'`, [
      String(entry.id),
    ]);
    expect(audit.comment).toBe(notes.join('\n'));

    // Not the department head: the template names planning.
    expect(await inboxEntry(f.users.evaluator.token, entry.id)).toBeNull();
    expect((await act(f.users.evaluator.token, entry.id, 'approve', { version: submitted.body.version })).status).toBe(403);
    expect((await act(f.users.chiefA.token, entry.id, 'approve', { version: submitted.body.version })).status).toBe(403);
    const inPlanning = await inboxEntry(f.users.planning.token, entry.id);
    expect(inPlanning).toMatchObject({ stepLabel: '評価者', notes });
    const byPlanning = await act(f.users.planning.token, entry.id, 'approve', { version: submitted.body.version }).expect(200);
    expect(byPlanning.body).toMatchObject({ state: 'in_review', currentStep: 2 });
    // One person, one step: the same planner may not take the planning step too; another planner does.
    expect((await act(f.users.planning.token, entry.id, 'approve', { version: byPlanning.body.version })).status).toBe(403);
    expect(await inboxEntry(f.users.planning.token, entry.id)).toBeNull();
    const done = await act(planning2.token, entry.id, 'approve', { version: byPlanning.body.version }).expect(200);
    expect(done.body.state).toBe('accepted');
  });

  it('with the default chain, the same case goes to the department head', async () => {
    const entry = await freshEntry(await template('head-fallback'));
    const submitted = await act(f.users.chiefA.token, entry.id, 'submit', body(entry.version)).expect(200);
    expect(submitted.body.routeNotes).toEqual(['所管課長の承認は作成者本人のため省略', '評価者が作成に関わったため、部長が評価者の段階を承認します']);
    expect(await inboxEntry(f.users.evaluator.token, entry.id)).toMatchObject({ stepLabel: '評価者' });
    expect(await inboxEntry(f.users.planning.token, entry.id)).toBeNull();
    await act(f.users.evaluator.token, entry.id, 'approve', { version: submitted.body.version }).expect(200);
  });

  it('with segregation on, the chief who approved the chief step does not take the evaluator step; the approval re-addresses it and says so', async () => {
    const entry = await freshEntry(await template('sod-on'));
    const submitted = await act(f.users.staffA.token, entry.id, 'submit', body(entry.version)).expect(200);
    expect(submitted.body.routeNotes).toEqual([]);
    const byChief = await act(f.users.chiefA.token, entry.id, 'approve', { version: submitted.body.version }).expect(200);
    expect(byChief.body.routeNotes).toEqual(['評価者が前の段階を承認したため、部長が評価者の段階を承認します']);
    expect((await act(f.users.chiefA.token, entry.id, 'approve', { version: byChief.body.version })).status).toBe(403);
    expect(await inboxEntry(f.users.evaluator.token, entry.id)).toMatchObject({ note: '評価者が前の段階を承認したため、部長が評価者の段階を承認します' });
    // A return starts a new round: its notes are gone.
    const returned = await act(f.users.evaluator.token, entry.id, 'return', { version: byChief.body.version, comment: '数値を確認してください' }).expect(200);
    expect(returned.body.routeNotes).toEqual([]);
  });

  it('with segregation off, the old behaviour: the chief approves the chief step and then, as evaluator, the evaluator step', async () => {
    const entry = await freshEntry(await template('sod-off', { segregation: false, fallbackApprovers: ['department_head', 'planning'] }));
    const submitted = await act(f.users.staffA.token, entry.id, 'submit', body(entry.version)).expect(200);
    const byChief = await act(f.users.chiefA.token, entry.id, 'approve', { version: submitted.body.version }).expect(200);
    expect(byChief.body).toMatchObject({ currentStep: 1, routeNotes: [] });
    expect(await inboxEntry(f.users.chiefA.token, entry.id)).toMatchObject({ stepLabel: '評価者', notes: [] });
    expect(await inboxEntry(f.users.evaluator.token, entry.id)).toBeNull();
    const asEvaluator = await act(f.users.chiefA.token, entry.id, 'approve', { version: byChief.body.version }).expect(200);
    expect(asEvaluator.body).toMatchObject({ state: 'in_review', currentStep: 2 });
    // The author still never approves, with or without the option.
    const own = await freshEntry(await template('sod-off-2', { segregation: false, fallbackApprovers: ['planning'] }));
    const mine = await act(f.users.chiefA.token, own.id, 'submit', body(own.version)).expect(200);
    expect((await act(f.users.chiefA.token, own.id, 'approve', { version: mine.body.version })).status).toBe(403);
    expect(await inboxEntry(f.users.planning.token, own.id)).toMatchObject({
      notes: ['所管課長の承認は作成者本人のため省略', '評価者が作成に関わったため、企画担当が評価者の段階を承認します'],
    });
  });
});
