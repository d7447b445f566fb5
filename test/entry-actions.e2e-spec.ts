import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * GET /api/entries/:id/actions: what each caller may do with an entry now, from the transition
 * table's actor column and the approval route (the same decision approve/return take), so the
 * entry page draws its buttons from the API instead of guessing.
 */
describe('entry actions per caller', () => {
  let t: TestApp;
  let f: CycleFixture;
  let entryId: number;

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    const planning = bearer(f.users.planning.token);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning)
      .send({ code: 'actions', name: '操作', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(planning).send({ templateId: tpl.body.id, periodKey: '2024-H1' }).expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(planning).send({ action: 'open' }).expect(200);
    const [row] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycle.body.id,
      f.items[1],
      f.sections.a,
    ]);
    entryId = row.id;
  });
  afterAll(() => t?.close());

  const actions = (token: string, status = 200) => t.http().get(`/api/entries/${entryId}/actions`).set(bearer(token)).expect(status);

  it('lets the section write a draft, and nobody else', async () => {
    expect((await actions(f.users.staffA.token)).body).toMatchObject({ state: 'not_started', actions: ['save', 'submit'], approval: null });
    expect((await actions(f.users.evaluator.token)).body).toMatchObject({ actions: [], approval: null });
    expect((await actions(f.users.planning.token)).body.actions).toEqual([]);
    await actions(f.users.chiefB.token, 403);
  });

  it('after the staff submits: the staff may withdraw, the chief approve or return (and withdraw), the evaluator waits', async () => {
    const [row] = await t.db.query(`SELECT version FROM entries WHERE id = $1`, [entryId]);
    await t
      .http()
      .post(`/api/entries/${entryId}/submit`)
      .set(bearer(f.users.staffA.token))
      .send({ version: row.version, rating: '○', progress: '計画どおり' })
      .expect(200);
    expect((await actions(f.users.staffA.token)).body).toMatchObject({ state: 'submitted', actions: ['withdraw'], approval: null });
    expect((await actions(f.users.chiefA.token)).body).toEqual({
      entryId,
      state: 'submitted',
      actions: ['withdraw', 'approve', 'return'],
      approval: { stepLabel: '所管課長', acting: false, onBehalfOf: null },
      // Where the route stands (for every reader; parties only at a 合議 step).
      step: { kind: 'section_chief', label: '所管課長', text: '所管課長', parties: [] },
    });
    expect((await actions(f.users.evaluator.token)).body).toMatchObject({ actions: [], approval: null });

    const [submitted] = await t.db.query(`SELECT version FROM entries WHERE id = $1`, [entryId]);
    await t.http().post(`/api/entries/${entryId}/approve`).set(bearer(f.users.chiefA.token)).send({ version: submitted.version }).expect(200);
    expect((await actions(f.users.evaluator.token)).body).toMatchObject({
      state: 'in_review',
      actions: ['approve', 'return'],
      approval: { stepLabel: '評価者' },
    });
    expect((await actions(f.users.staffA.token)).body.actions).toEqual([]);
  });
});
