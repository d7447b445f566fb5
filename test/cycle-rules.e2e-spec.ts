import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * A cycle keeps the scale, fields and approval route its template had when it opened: the
 * planning division may change the template mid-cycle, and only cycles opened afterwards
 * follow the change.
 */
describe('cycle rules: a template edited mid-cycle leaves the open cycle as it was', () => {
  let t: TestApp;
  let f: CycleFixture;
  let templateId: number;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    const template = await t
      .http()
      .post('/api/templates')
      .set(auth(f.users.planning.token))
      .send({
        code: 'rules',
        name: '公約 半期',
        planId: f.planId,
        periodType: 'half_year',
        scaleCode: 'progress4',
        approvalRoute: [
          { kind: 'section_chief', label: '所管課長' },
          { kind: 'evaluator', label: '評価者' },
        ],
      })
      .expect(201);
    templateId = template.body.id;
  });
  afterAll(() => t?.close());

  async function openCycle(date: string): Promise<number> {
    const cycle = await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId, date }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'open' }).expect(200);
    return cycle.body.id;
  }
  async function entryOf(cycleId: number): Promise<{ id: number; version: number }> {
    const [row] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycleId,
      f.items[0],
      f.sections.a,
    ]);
    return row;
  }

  it('routes, validates and reports the open cycle by its own rules, and the next cycle by the new ones', async () => {
    const first = await openCycle('2024-05-01');
    const before = await entryOf(first);
    const submitted = await t
      .http()
      .post(`/api/entries/${before.id}/submit`)
      .set(auth(f.users.staffA.token))
      .send({ version: before.version, rating: '○', progress: '計画どおり進めている' })
      .expect(200);

    // Planning shortens the route to the chief alone and moves the template to the A–D scale.
    const current = (await t.http().get(`/api/templates/${templateId}`).set(auth(f.users.planning.token)).expect(200)).body;
    await t
      .http()
      .patch(`/api/templates/${templateId}`)
      .set(auth(f.users.planning.token))
      .send({ version: current.version, scaleCode: 'abcd', approvalRoute: [{ kind: 'section_chief', label: '所管課長' }] })
      .expect(200);

    // The entry in review still needs the evaluator after the chief.
    const byChief = await t
      .http()
      .post(`/api/entries/${before.id}/approve`)
      .set(auth(f.users.chiefA.token))
      .send({ version: submitted.body.version })
      .expect(200);
    expect(byChief.body).toMatchObject({ state: 'in_review', currentStep: 1 });
    const inbox = await t.http().get('/api/approvals/inbox').set(auth(f.users.evaluator.token)).expect(200);
    expect(JSON.stringify(inbox.body)).toContain('評価者');
    const accepted = await t
      .http()
      .post(`/api/entries/${before.id}/approve`)
      .set(auth(f.users.evaluator.token))
      .send({ version: byChief.body.version })
      .expect(200);
    expect(accepted.body.state).toBe('accepted');

    // The entry form and the summary of the first cycle show the rules it opened with.
    const detail = await t.http().get(`/api/entries/${before.id}`).set(auth(f.users.staffA.token)).expect(200);
    expect(detail.body.template.approvalRoute).toHaveLength(2);
    expect(detail.body.scale.code).toBe('progress4');
    const summary = await t.http().get(`/api/cycles/${first}/summary`).set(auth(f.users.planning.token)).expect(200);
    expect(summary.body.scale.code).toBe('progress4');
    const cycleRow = await t.http().get(`/api/cycles/${first}`).set(auth(f.users.planning.token)).expect(200);
    expect(cycleRow.body.rules).toMatchObject({ scaleCode: 'progress4', approvalRoute: [{ kind: 'section_chief' }, { kind: 'evaluator' }] });

    // A cycle opened after the edit follows it: A–D ratings, the chief alone accepts.
    const second = await openCycle('2024-11-01');
    const next = await entryOf(second);
    const wrongScale = await t
      .http()
      .post(`/api/entries/${next.id}/submit`)
      .set(auth(f.users.staffA.token))
      .send({ version: next.version, rating: '○', progress: '計画どおり' });
    expect(wrongScale.status).toBe(422);
    expect(wrongScale.body.field).toBe('rating');
    const ok = await t
      .http()
      .post(`/api/entries/${next.id}/submit`)
      .set(auth(f.users.staffA.token))
      .send({ version: next.version, rating: 'A', progress: '計画どおり' })
      .expect(200);
    const done = await t.http().post(`/api/entries/${next.id}/approve`).set(auth(f.users.chiefA.token)).send({ version: ok.body.version }).expect(200);
    expect(done.body.state).toBe('accepted');
  });

  it('keeps the rules of the first opening when a closed cycle is opened again', async () => {
    const [cycle] = await t.db.query(`SELECT id, rules FROM cycles WHERE template_id = $1 ORDER BY period_start LIMIT 1`, [templateId]);
    expect(cycle.rules.scaleCode).toBe('progress4');
    await t.db.query(`UPDATE cycles SET state = 'closed' WHERE id = $1`, [cycle.id]);
    await t.http().post(`/api/cycles/${cycle.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'reopen', reason: '訂正のため' }).expect(200);
    const [after] = await t.db.query(`SELECT state, rules FROM cycles WHERE id = $1`, [cycle.id]);
    expect(after).toMatchObject({ state: 'open', rules: { scaleCode: 'progress4' } });
  });
});
