import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * A forced close leaves nothing stranded as 提出済 in a closed cycle: entries in review are
 * marked 未承認 by the transition table (version and audit rows), listed in the close's result,
 * counted on the dashboard and labelled on the entry; the existing 未提出 marking stays.
 */
describe('forced close: entries in review become 未承認', () => {
  let t: TestApp;
  let f: CycleFixture;
  let cycleId: number;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    const planning = bearer(f.users.planning.token);
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(planning)
      .send({ code: 'fc', name: '強制締切', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(planning).send({ templateId: tpl.body.id, periodKey: '2024-H1' }).expect(201);
    cycleId = cycle.body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(planning).send({ action: 'open' }).expect(200);
    const entry = async (item: number, section: number) =>
      (await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycleId, item, section]))[0];
    const a1 = await entry(f.items[0], f.sections.a);
    const a2 = await entry(f.items[1], f.sections.a);
    const b1 = await entry(f.items[0], f.sections.b);
    const c3 = await entry(f.items[2], f.sections.c);
    Object.assign(ids, { inReview: a1.id, submitted: a2.id, draft: b1.id, notStarted: c3.id });
    const body = { rating: '○', progress: '計画どおり' };
    const s1 = await t
      .http()
      .post(`/api/entries/${a1.id}/submit`)
      .set(bearer(f.users.staffA.token))
      .send({ version: a1.version, ...body })
      .expect(200);
    await t.http().post(`/api/entries/${a1.id}/approve`).set(bearer(f.users.chiefA.token)).send({ version: s1.body.version }).expect(200);
    await t
      .http()
      .post(`/api/entries/${a2.id}/submit`)
      .set(bearer(f.users.staffA.token))
      .send({ version: a2.version, ...body })
      .expect(200);
    await t.http().put(`/api/entries/${b1.id}`).set(bearer(f.users.chiefB.token)).send({ version: b1.version, progress: '途中' }).expect(200);
  });
  afterAll(() => t?.close());

  it('marks and lists them, with version and audit rows; 未提出 as before', async () => {
    const before = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1`, [cycleId]);
    const res = await t
      .http()
      .post(`/api/cycles/${cycleId}/actions`)
      .set(bearer(f.users.planning.token))
      .send({ action: 'force_close', reason: '公表日程のため' })
      .expect(200);
    expect(res.body).toMatchObject({ markedNotSubmitted: 2, markedNotApproved: 2 });
    expect(res.body.notApproved).toEqual([
      { entryId: ids.inReview, itemNumber: 1, itemSubNumber: '', itemTitle: '18歳までの医療費完全無料化', sectionName: 'こども支援課', stepLabel: '評価者' },
      { entryId: ids.submitted, itemNumber: 2, itemSubNumber: '', itemTitle: '小・中学校の給食費無料化', sectionName: 'こども支援課', stepLabel: '所管課長' },
    ]);
    const states = Object.fromEntries(
      (await t.db.query(`SELECT id, state, version FROM entries WHERE cycle_id = $1`, [cycleId])).map((r: { id: number; state: string; version: number }) => [
        r.id,
        r,
      ]),
    );
    expect(states[ids.inReview].state).toBe('not_approved');
    expect(states[ids.submitted].state).toBe('not_approved');
    expect(states[ids.draft].state).toBe('not_submitted');
    expect(states[ids.notStarted].state).toBe('not_submitted');
    for (const b of before) expect(states[b.id].version).toBe(b.version + 1);
    const versions = await t.db.query(
      `SELECT entry_id, state, data->>'progress' AS progress FROM entry_versions WHERE entry_id = $1 ORDER BY version DESC LIMIT 1`,
      [ids.inReview],
    );
    expect(versions[0]).toEqual({ entry_id: ids.inReview, state: 'not_approved', progress: '計画どおり' });
    const audit = await t.db.query(
      `SELECT actor_user_id, comment, before->>'state' AS "from", after->>'state' AS "to" FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1 ORDER BY id DESC LIMIT 1`,
      [String(ids.inReview)],
    );
    expect(audit[0]).toEqual({ actor_user_id: f.users.planning.id, comment: '公表日程のため', from: 'in_review', to: 'not_approved' });
    const [cycleAudit] = await t.db.query(`SELECT after FROM audit_log WHERE subject_type = 'cycle' AND action = 'cycle.force_close' AND subject_id = $1`, [
      String(cycleId),
    ]);
    expect(cycleAudit.after).toMatchObject({ markedNotSubmitted: 2, markedNotApproved: 2 });
  });

  it('shows 未承認 on the entry and counts it on the dashboard', async () => {
    const entry = await t.http().get(`/api/entries/${ids.inReview}`).set(bearer(f.users.planning.token)).expect(200);
    expect(entry.body.entry ?? entry.body).toMatchObject({ state: 'not_approved', stateLabel: '未承認' });
    const completeness = await t.http().get(`/api/cycles/${cycleId}/completeness`).set(bearer(f.users.planning.token)).expect(200);
    expect(JSON.stringify(completeness.body)).toContain('"not_approved":2');
  });

  it('planning reopens a 未承認 entry in the reopened cycle: back to the section with the reason', async () => {
    await t
      .http()
      .post(`/api/cycles/${cycleId}/actions`)
      .set(bearer(f.users.planning.token))
      .send({ action: 'reopen', reason: '審査を続けるため' })
      .expect(200);
    const actions = await t.http().get(`/api/entries/${ids.submitted}/actions`).set(bearer(f.users.planning.token)).expect(200);
    expect(actions.body.actions).toEqual(['reopen']);
    const [row] = await t.db.query(`SELECT version FROM entries WHERE id = $1`, [ids.submitted]);
    const reopened = await t
      .http()
      .post(`/api/entries/${ids.submitted}/reopen`)
      .set(bearer(f.users.planning.token))
      .send({ version: row.version, reason: '課長の確認から再提出してください' })
      .expect(200);
    expect(reopened.body).toMatchObject({ state: 'returned', returnComment: '課長の確認から再提出してください', currentStep: 0 });
  });
});
