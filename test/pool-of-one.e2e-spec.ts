import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Every action in one transaction on one connection: with a pool of one, an action whose reads
 * take a second connection while its transaction holds the first waits for itself until the
 * acquire timeout (a 503). Owner reads take the caller's EntityManager for exactly this reason;
 * this suite fails when one of them is called without it on the way of an action.
 */
describe('the workflow on a pool of one connection', () => {
  let t: TestApp;
  let f: CycleFixture;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp({ DB_POOL_SIZE: '1' });
    f = await createCycleFixture(t);
  });
  afterAll(() => t?.close());

  it('opens a cycle, submits, returns, approves and force-closes, each answered 200', async () => {
    const planning = auth(f.users.planning.token);
    const tpl = (
      await t
        .http()
        .post('/api/templates')
        .set(planning)
        .send({ code: 'pool1', name: '接続一本', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
        .expect(201)
    ).body;
    const cycle = (await t.http().post('/api/cycles').set(planning).send({ templateId: tpl.id, periodKey: '2024-H1' }).expect(201)).body;
    const opened = await t.http().post(`/api/cycles/${cycle.id}/actions`).set(planning).send({ action: 'open' }).expect(200);
    expect(opened.body.createdEntries).toBeGreaterThan(0);

    const [{ id }] = await t.db.query(`SELECT id FROM entries WHERE cycle_id = $1 AND section_id = $2 ORDER BY id LIMIT 1`, [cycle.id, f.sections.a]);
    const submit = (version: number) =>
      t.http().post(`/api/entries/${id}/submit`).set(auth(f.users.staffA.token)).send({ version, rating: '○', progress: '予定どおり進んでいる' }).expect(200);
    let entry = (await submit(1)).body;
    entry = (
      await t
        .http()
        .post(`/api/entries/${id}/return`)
        .set(auth(f.users.chiefA.token))
        .send({ version: entry.version, comment: '数値の根拠を添えてください' })
        .expect(200)
    ).body;
    entry = (await submit(entry.version)).body;
    entry = (await t.http().post(`/api/entries/${id}/approve`).set(auth(f.users.chiefA.token)).send({ version: entry.version }).expect(200)).body;
    expect(entry.state).toBe('in_review');
    await t.http().get('/api/approvals/inbox').set(auth(f.users.chiefA.token)).expect(200);

    const closed = await t.http().post(`/api/cycles/${cycle.id}/actions`).set(planning).send({ action: 'force_close', reason: '期限到来のため' }).expect(200);
    expect(closed.body.markedNotApproved).toBe(1);
    // Not publish: it freezes the reports on a read-only connection of their own (the report cursor), by design.
  }, 120_000);
});
