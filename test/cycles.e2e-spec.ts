import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

describe('cycles: templates, opening, lifecycle', () => {
  let t: TestApp;
  let f: CycleFixture;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
  });
  afterAll(() => t.close());

  async function template(code: string, extra: Record<string, unknown> = {}) {
    const res = await t
      .http()
      .post('/api/templates')
      .set(auth(f.users.planning.token))
      .send({ code, name: '市長公約 半期進捗', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4', ...extra })
      .expect(201);
    return res.body;
  }

  it('lists the built-in rating scales with their common ordinal', async () => {
    const res = await t.http().get('/api/scales').set(auth(f.users.staffA.token)).expect(200);
    const codes = res.body.map((s: { code: string }) => s.code);
    expect(codes).toEqual(expect.arrayContaining(['progress4', 'abcd', 'action4', 'goal3']));
    const abcd = res.body.find((s: { code: string }) => s.code === 'abcd');
    expect(abcd.options.map((o: { value: string; ordinal: number }) => `${o.value}${o.ordinal}`)).toEqual(['A3', 'B2', 'C1', 'D0']);
  });

  it('refuses template creation by a section chief (403) and bad input naming the field', async () => {
    await t
      .http()
      .post('/api/templates')
      .set(auth(f.users.chiefA.token))
      .send({ code: 'x1', name: 'x', planId: f.planId, periodType: 'monthly', scaleCode: 'progress4' })
      .expect(403);
    const bad = await t
      .http()
      .post('/api/templates')
      .set(auth(f.users.planning.token))
      .send({ code: 'x2', name: 'x', planId: f.planId, periodType: 'weekly', scaleCode: 'progress4' })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/periodType/);
    const noScale = await t
      .http()
      .post('/api/templates')
      .set(auth(f.users.planning.token))
      .send({ code: 'x3', name: 'x', planId: f.planId, periodType: 'monthly', scaleCode: 'nope' })
      .expect(422);
    expect(noScale.body.field).toBe('scaleCode');
    expect(await t.db.query(`SELECT 1 FROM cycle_templates WHERE code IN ('x1','x2','x3')`)).toHaveLength(0);
  });

  it('creates a half-year cycle with Japanese label and business-day deadlines', async () => {
    const tpl = await template('half-1', { submissionOffsetDays: 0 });
    const res = await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId: tpl.id, date: '2024-06-15' }).expect(201);
    expect(res.body).toMatchObject({
      periodKey: '2024-H1',
      periodStart: '2024-04-01',
      periodEnd: '2024-09-30',
      fiscalYear: 2024,
      state: 'draft',
      stateLabel: '準備中',
      created: true,
    });
    expect(res.body.label).toContain('令和6年度 上半期');
    // 2024-09-30 is a Monday and a business day.
    expect(res.body.submissionDeadline).toBe('2024-09-30');
    const again = await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId: tpl.id, periodKey: '2024-H1' }).expect(201);
    expect(again.body).toMatchObject({ id: res.body.id, created: false });
  });

  it('moves a deadline that falls on a holiday to the previous business day', async () => {
    // 2024-H2 ends 2025-03-31; +35 days = 2025-05-05 (こどもの日) -> 5/2 (Fri)
    const tpl = await template('half-2', { submissionOffsetDays: 35 });
    const res = await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId: tpl.id, periodKey: '2024-H2' }).expect(201);
    expect(res.body.submissionDeadline).toBe('2025-05-02');
    expect(res.body.label).toContain('令和6年度 下半期');
  });

  it('opens a cycle: one entry per item × responsible section, idempotent and safe under concurrency', async () => {
    const tpl = await template('half-3');
    const cycle = (await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId: tpl.id, periodKey: '2024-H1' })).body;
    const opens = await Promise.all(
      Array.from({ length: 5 }, () => t.http().post(`/api/cycles/${cycle.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'open' })),
    );
    expect(opens.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(opens.map((r) => r.body.createdEntries).reduce((a, b) => a + b, 0)).toBe(4);
    const entries = await t.db.query(`SELECT item_id, section_id, state FROM entries WHERE cycle_id = $1 ORDER BY item_id, section_id`, [cycle.id]);
    expect(entries).toEqual([
      { item_id: f.items[0], section_id: f.sections.a, state: 'not_started' },
      { item_id: f.items[0], section_id: f.sections.b, state: 'not_started' },
      { item_id: f.items[1], section_id: f.sections.a, state: 'not_started' },
      { item_id: f.items[2], section_id: f.sections.c, state: 'not_started' },
    ]);
    const audit = await t.db.query(`SELECT action, actor_user_id FROM audit_log WHERE subject_type = 'cycle' AND subject_id = $1 AND action = 'cycle.open'`, [
      String(cycle.id),
    ]);
    expect(audit).toEqual([{ action: 'cycle.open', actor_user_id: f.users.planning.id }]);
  });

  it('refuses a close while entries are open, requires a reason to force it, and marks 未提出', async () => {
    const tpl = await template('half-4');
    const cycle = (await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId: tpl.id, periodKey: '2024-H1' })).body;
    await t.http().post(`/api/cycles/${cycle.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'open' }).expect(200);
    const refused = await t.http().post(`/api/cycles/${cycle.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'close' }).expect(409);
    expect(refused.body.openEntries).toBe(4);
    const noReason = await t.http().post(`/api/cycles/${cycle.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'force_close' }).expect(422);
    expect(noReason.body.field).toBe('reason');
    const forced = await t
      .http()
      .post(`/api/cycles/${cycle.id}/actions`)
      .set(auth(f.users.planning.token))
      .send({ action: 'force_close', reason: '期限経過のため' })
      .expect(200);
    expect(forced.body).toMatchObject({ markedNotSubmitted: 4, cycle: { state: 'closed' } });
    const states = await t.db.query(`SELECT DISTINCT state FROM entries WHERE cycle_id = $1`, [cycle.id]);
    expect(states).toEqual([{ state: 'not_submitted' }]);
    await t.http().post(`/api/cycles/${cycle.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'open' }).expect(409);
    const reopened = await t
      .http()
      .post(`/api/cycles/${cycle.id}/actions`)
      .set(auth(f.users.planning.token))
      .send({ action: 'reopen', reason: '提出漏れの受付' })
      .expect(200);
    expect(reopened.body.cycle.state).toBe('open');
    const [audit] = await t.db.query(`SELECT comment FROM audit_log WHERE subject_type = 'cycle' AND subject_id = $1 AND action = 'cycle.reopen'`, [
      String(cycle.id),
    ]);
    expect(audit.comment).toBe('提出漏れの受付');
  });

  it('allows two periods of one template to be open at once, each with its own deadlines', async () => {
    const tpl = await template('fy-1', { periodType: 'fiscal_year', submissionOffsetDays: 60 });
    const make = async (periodKey: string) => {
      const c = (await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId: tpl.id, periodKey })).body;
      await t.http().post(`/api/cycles/${c.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'open' }).expect(200);
      return c;
    };
    const last = await make('FY2023');
    const current = await make('FY2024');
    expect(last.submissionDeadline).not.toBe(current.submissionDeadline);
    const open = await t.http().get(`/api/cycles?templateId=${tpl.id}&state=open`).set(auth(f.users.staffA.token)).expect(200);
    expect(open.body.map((c: { periodKey: string }) => c.periodKey).sort()).toEqual(['FY2023', 'FY2024']);
  });
});
