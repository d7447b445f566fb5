import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Section chiefs write their section's reports themselves. Segregation of duties bars an
 * author from approving, so with the usual route (所管課長 → 評価者 → 企画担当) a report its
 * section's only chief wrote would wait for an approver who can never act. The chief's own
 * authorship carries the section's approval instead; the later steps still need others.
 */
describe('approvals: a report the section chief wrote', () => {
  let t: TestApp;
  let f: CycleFixture;
  let month = 4;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
  });
  afterAll(() => t?.close());

  async function template(code: string, approvalRoute?: object[]): Promise<number> {
    const res = await t
      .http()
      .post('/api/templates')
      .set(auth(f.users.planning.token))
      .send({ code, name: `公約 ${code}`, planId: f.planId, periodType: 'monthly', scaleCode: 'progress4', ...(approvalRoute ? { approvalRoute } : {}) })
      .expect(201);
    return res.body.id;
  }
  /** Section A's entry of item 1 in a newly opened monthly cycle. */
  async function freshEntry(templateId: number): Promise<{ id: number; version: number }> {
    const date = `2024-${String(month++).padStart(2, '0')}-01`;
    const cycle = await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId, date }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'open' }).expect(200);
    const [row] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycle.body.id,
      f.items[0],
      f.sections.a,
    ]);
    return row;
  }
  const body = (version: number) => ({ version, rating: '○', progress: '計画どおり進めている' });
  const act = (token: string, id: number, action: string, payload: object) => t.http().post(`/api/entries/${id}/${action}`).set(auth(token)).send(payload);

  let defaultRoute: number;
  beforeAll(async () => {
    defaultRoute = await template('default');
  });

  it('passes the chief step when the only chief submitted it; the evaluator and planning still approve, and the audit says why', async () => {
    const entry = await freshEntry(defaultRoute);
    const submitted = await act(f.users.chiefA.token, entry.id, 'submit', body(entry.version)).expect(200);
    expect(submitted.body).toMatchObject({ state: 'submitted', currentStep: 1, authorUserId: f.users.chiefA.id });

    const own = await act(f.users.chiefA.token, entry.id, 'approve', { version: submitted.body.version });
    expect(own.status).toBe(403);
    const inbox = await t.http().get('/api/approvals/inbox').set(auth(f.users.evaluator.token)).expect(200);
    expect(JSON.stringify(inbox.body)).toContain(`"id":${entry.id}`);

    const byEvaluator = await act(f.users.evaluator.token, entry.id, 'approve', { version: submitted.body.version }).expect(200);
    expect(byEvaluator.body).toMatchObject({ state: 'in_review', currentStep: 2 });
    const byPlanning = await act(f.users.planning.token, entry.id, 'approve', { version: byEvaluator.body.version }).expect(200);
    expect(byPlanning.body.state).toBe('accepted');

    const [audit] = await t.db.query(
      `SELECT actor_user_id, comment, after->>'state' AS state FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1 AND action = 'entry.submit'`,
      [String(entry.id)],
    );
    expect(audit).toMatchObject({ actor_user_id: f.users.chiefA.id, state: 'submitted' });
    expect(audit.comment).toMatch(/所管課長の承認は作成者本人のため省略/);
  });

  it('passes it too when staff submitted what the chief had edited (the chief is an author)', async () => {
    const entry = await freshEntry(defaultRoute);
    const draft = await t.http().put(`/api/entries/${entry.id}`).set(auth(f.users.chiefA.token)).send(body(entry.version)).expect(200);
    const submitted = await act(f.users.staffA.token, entry.id, 'submit', body(draft.body.version)).expect(200);
    expect(submitted.body).toMatchObject({ state: 'submitted', currentStep: 1 });
  });

  it('keeps the chief step when staff alone wrote it: the chief approves first', async () => {
    const entry = await freshEntry(defaultRoute);
    const submitted = await act(f.users.staffA.token, entry.id, 'submit', body(entry.version)).expect(200);
    expect(submitted.body).toMatchObject({ state: 'submitted', currentStep: 0 });
    const byChief = await act(f.users.chiefA.token, entry.id, 'approve', { version: submitted.body.version }).expect(200);
    expect(byChief.body).toMatchObject({ state: 'in_review', currentStep: 1 });
  });

  it('lets the chief withdraw their own submission before anyone approved it', async () => {
    const entry = await freshEntry(defaultRoute);
    const submitted = await act(f.users.chiefA.token, entry.id, 'submit', body(entry.version)).expect(200);
    const withdrawn = await act(f.users.chiefA.token, entry.id, 'withdraw', { version: submitted.body.version }).expect(200);
    expect(withdrawn.body).toMatchObject({ state: 'draft', currentStep: 0 });
  });

  it('accepts at once on a route of the chief alone, with the time of acceptance', async () => {
    const chiefOnly = await template('chief-only', [{ kind: 'section_chief', label: '所管課長' }]);
    const entry = await freshEntry(chiefOnly);
    const submitted = await act(f.users.chiefA.token, entry.id, 'submit', body(entry.version)).expect(200);
    expect(submitted.body).toMatchObject({ state: 'accepted', currentStep: 1 });
    expect(submitted.body.acceptedAt).toEqual(expect.any(String));
    const [row] = await t.db.query(`SELECT state, accepted_at FROM entries WHERE id = $1`, [entry.id]);
    expect(row.state).toBe('accepted');
    expect(row.accepted_at).not.toBeNull();
  });

  it('keeps segregation when the section has another chief: that chief approves', async () => {
    await build(t).user({ login: 'chief-a2', name: '課長代理', section: f.sections.a, roles: ['chief'] });
    const token = (await t.http().post('/api/auth/login').send({ login: 'chief-a2', password: 'password' }).expect(200)).body.accessToken;
    const entry = await freshEntry(defaultRoute);
    const submitted = await act(f.users.chiefA.token, entry.id, 'submit', body(entry.version)).expect(200);
    expect(submitted.body).toMatchObject({ state: 'submitted', currentStep: 0 });
    const byOther = await act(token, entry.id, 'approve', { version: submitted.body.version }).expect(200);
    expect(byOther.body).toMatchObject({ state: 'in_review', currentStep: 1 });
  });
});
