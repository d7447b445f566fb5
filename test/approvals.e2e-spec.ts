import {
  addDays,
  allowedEntryActions,
  ENTRY_ACTIONS,
  ENTRY_STATES,
  ENTRY_TRANSITIONS,
  EntryAction,
  EntryState,
  EntryTransition,
  Role,
  tokyoToday,
} from '@app/domain';
import { ApprovalRoutingService } from '@app/approvals';
import { build, Builder } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';

type User = { id: number; token: string };

describe('approvals: route, segregation, delegation, return, bulk, views, audit', () => {
  let t: TestApp;
  let b: Builder;
  let f: CycleFixture;
  let cycleId: number;
  let chiefA2: User;
  let nextItemNumber = 100;
  const auth = (u: User) => ({ Authorization: `Bearer ${u.token}` });

  beforeAll(async () => {
    t = await createTestApp();
    b = build(t);
    f = await createCycleFixture(t);
    ({ cycleId } = await openCycle('appr', '2024-H1'));
    chiefA2 = await addUser('chief-a2', f.sections.a, ['chief']);
  });
  afterAll(() => t?.close());

  async function openCycle(code: string, periodKey: string) {
    let [tpl] = await t.db.query(`SELECT id FROM cycle_templates WHERE code = $1`, [code]);
    if (!tpl) {
      tpl = (
        await t
          .http()
          .post('/api/templates')
          .set(auth(f.users.planning))
          .send({ code, name: '市長公約 進捗', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
          .expect(201)
      ).body;
    }
    const cycle = (await t.http().post('/api/cycles').set(auth(f.users.planning)).send({ templateId: tpl.id, periodKey }).expect(201)).body;
    await t.http().post(`/api/cycles/${cycle.id}/actions`).set(auth(f.users.planning)).send({ action: 'open' }).expect(200);
    return { templateId: tpl.id as number, cycleId: cycle.id as number };
  }

  async function addUser(login: string, sectionId: number | null, roles: Role[]): Promise<User> {
    return b.signedIn({ login, section: sectionId, roles });
  }

  /** An entry of section A (by default) in the given state, set up by SQL on a new plan item. */
  async function makeEntry(
    state: EntryState,
    opts: { step?: number; sectionId?: number; author?: number | null; editor?: number | null; cycle?: number } = {},
  ) {
    const n = nextItemNumber++;
    const sectionId = opts.sectionId ?? f.sections.a;
    const itemId = await b.item({ planId: f.planId, number: n, title: `テスト項目${n}`, sections: [sectionId] });
    const written = !['not_started'].includes(state);
    const author = opts.author !== undefined ? opts.author : written && state !== 'draft' ? f.users.staffA.id : null;
    const editor = opts.editor !== undefined ? opts.editor : written ? f.users.staffA.id : null;
    const entry = await b.entry({ cycleId: opts.cycle ?? cycleId, itemId, sectionId, state, step: opts.step, author, editor });
    return entry as { id: number; version: number; state: EntryState };
  }

  const row = async (id: number) => (await t.db.query(`SELECT * FROM entries WHERE id = $1`, [id]))[0];
  const auditOf = (id: number) =>
    t.db.query(
      `SELECT action, actor_user_id, on_behalf_of_user_id, acting, comment, after->>'state' AS state FROM audit_log
        WHERE subject_type = 'entry' AND subject_id = $1 ORDER BY id`,
      [String(id)],
    );

  /** Performs an entry action over HTTP as the user the route expects for it. */
  function perform(action: EntryAction, entry: { id: number; version: number; state: EntryState; current_step?: number }, as?: User) {
    const post = (path: string, user: User, body: object) =>
      t
        .http()
        .post(`/api/entries/${entry.id}/${path}`)
        .set(auth(user))
        .send({ version: entry.version, ...body });
    const stepHolder = [f.users.chiefA, f.users.evaluator, f.users.planning][entry.current_step ?? (entry.state === 'in_review' ? 1 : 0)];
    switch (action) {
      case 'save':
        return t
          .http()
          .put(`/api/entries/${entry.id}`)
          .set(auth(as ?? f.users.staffA))
          .send({ version: entry.version, progress: '修正した進捗' });
      case 'submit':
        return post('submit', as ?? f.users.staffA, { rating: '○', progress: '計画どおり進めている' });
      case 'withdraw':
        return post('withdraw', as ?? f.users.staffA, {});
      case 'approve':
        return post('approve', as ?? stepHolder, {});
      case 'return':
        return post('return', as ?? stepHolder, { comment: '数値の根拠を記載してください' });
      case 'reopen':
        return post('reopen', as ?? f.users.planning, { reason: '公表前に再確認するため' });
      case 'mark_not_submitted':
      case 'mark_not_approved':
        throw new Error('system action: performed by a forced close of the cycle');
    }
  }

  describe('every transition of the entry table', () => {
    const byHttp = ENTRY_TRANSITIONS.filter((r) => r.actor !== 'system');
    const expectedState = (r: EntryTransition, step: number) => (r.to === 'by_route' ? (step === 2 ? 'accepted' : 'in_review') : r.to);

    it.each(byHttp.map((r) => [`${r.from} --${r.action}-->`, r] as const))('%s allowed over HTTP', async (_name, rule) => {
      const entry = await makeEntry(rule.from);
      const res = await perform(rule.action, entry).expect(200);
      expect(res.body).toMatchObject({ state: expectedState(rule, entry.state === 'in_review' ? 1 : 0), version: entry.version + 1 });
      const audit = await auditOf(entry.id);
      expect(audit.at(-1)).toMatchObject({ action: `entry.${rule.action}`, state: res.body.state });
    });

    it('approval at the last step accepts the entry and stamps accepted_at', async () => {
      const entry = await makeEntry('in_review', { step: 2 });
      const res = await perform('approve', { ...entry, current_step: 2 }).expect(200);
      expect(res.body).toMatchObject({ state: 'accepted', currentStep: 3 });
      expect((await row(entry.id)).accepted_at).not.toBeNull();
    });

    it.each(ENTRY_STATES.map((s) => [s]))('refuses an action the table does not allow from %s, changing nothing', async (state) => {
      const allowed = allowedEntryActions(state);
      const action = ENTRY_ACTIONS.find((a) => a !== 'mark_not_submitted' && !allowed.includes(a))!;
      const entry = await makeEntry(state);
      const res = await perform(action, entry).expect(409);
      expect(res.body.field).toBe('state');
      expect(await row(entry.id)).toMatchObject({ state, version: entry.version });
      expect(await auditOf(entry.id)).toEqual([]);
    });

    it('system rows (mark_not_submitted) happen on a forced close; planning reopens 未提出 to a draft', async () => {
      const second = await openCycle('appr', '2024-H2');
      const systemRows = ENTRY_TRANSITIONS.filter((r) => r.actor === 'system');
      const entries = await Promise.all(systemRows.map((r) => makeEntry(r.from, { cycle: second.cycleId })));
      await t.http().post(`/api/cycles/${second.cycleId}/actions`).set(auth(f.users.planning)).send({ action: 'force_close', reason: '締切' }).expect(200);
      for (const [i, r] of systemRows.entries()) expect((await row(entries[i].id)).state).toBe(r.to);
      await t.http().post(`/api/cycles/${second.cycleId}/actions`).set(auth(f.users.planning)).send({ action: 'reopen', reason: '再提出' }).expect(200);
      const stored = await row(entries[0].id);
      await perform('reopen', stored).expect(200);
      expect(await row(entries[0].id)).toMatchObject({ state: 'draft' });
    });
  });

  describe('segregation of duties', () => {
    it('refuses the author approving as chief, on approve, return and bulk; another chief may', async () => {
      const entry = await makeEntry('submitted', { author: f.users.chiefA.id, editor: f.users.chiefA.id });
      const res = await perform('approve', entry, f.users.chiefA).expect(403);
      expect(res.body.reason).toBe('own_entry');
      await perform('return', entry, f.users.chiefA).expect(403);
      const bulk = await t
        .http()
        .post('/api/approvals/bulk-approve')
        .set(auth(f.users.chiefA))
        .send({ items: [{ id: entry.id, version: entry.version }] })
        .expect(200);
      expect(bulk.body).toEqual([{ id: entry.id, ok: false, status: 403, message: expect.stringMatching(/承認/) }]);
      expect(await row(entry.id)).toMatchObject({ state: 'submitted', version: entry.version });
      await perform('approve', entry, chiefA2).expect(200);
    });

    it('refuses a chief who edited the draft, even when someone else submitted it', async () => {
      const entry = await makeEntry('draft', { editor: null, author: null });
      const saved = await perform('save', entry, f.users.chiefA).expect(200);
      const submitted = await perform('submit', { ...entry, version: saved.body.version }, f.users.staffA).expect(200);
      expect(await row(entry.id)).toMatchObject({ author_user_id: f.users.staffA.id, last_edited_by: f.users.staffA.id });
      const res = await perform('approve', submitted.body, f.users.chiefA).expect(403);
      expect(res.body.reason).toBe('own_entry');
      await perform('approve', submitted.body, chiefA2).expect(200);
    });

    it("refuses a delegate of the author, and the author as someone's delegate", async () => {
      const today = tokyoToday();
      const byChief = await makeEntry('submitted', { author: f.users.chiefA.id, editor: f.users.chiefA.id });
      await b.delegation({ from: f.users.chiefA.id, to: f.users.chiefB.id, startsOn: today });
      const viaDelegate = await perform('approve', byChief, f.users.chiefB).expect(403);
      expect(viaDelegate.body.reason).toBe('principal_wrote_entry');

      const byStaff = await makeEntry('submitted');
      await b.delegation({ from: chiefA2.id, to: f.users.staffA.id, startsOn: today });
      const authorAsDelegate = await perform('approve', byStaff, f.users.staffA).expect(403);
      expect(authorAsDelegate.body.reason).toBe('own_entry');
      expect(await row(byStaff.id)).toMatchObject({ state: 'submitted', version: byStaff.version });
      await t.db.query(`UPDATE delegations SET revoked_at = now() WHERE to_user_id IN ($1, $2)`, [f.users.chiefB.id, f.users.staffA.id]);
    });

    it('refuses the author who later gains the planning role at the planning step', async () => {
      const author = await addUser('staff-a-later-planner', f.sections.a, ['staff']);
      const entry = await makeEntry('in_review', { step: 2, author: author.id, editor: author.id });
      await t.db.query(`UPDATE users SET roles = roles || '{planning}' WHERE id = $1`, [author.id]);
      const res = await perform('approve', { ...entry, current_step: 2 }, author).expect(403);
      expect(res.body.reason).toBe('own_entry');
      expect(await row(entry.id)).toMatchObject({ state: 'in_review', current_step: 2 });
      await perform('approve', { ...entry, current_step: 2 }, f.users.planning).expect(200);
    });

    it('refuses someone who does not hold the step', async () => {
      const entry = await makeEntry('submitted');
      const res = await perform('approve', entry, f.users.chiefB).expect(403);
      expect(res.body.reason).toBe('not_approver');
      await perform('approve', entry, f.users.evaluator).expect(403);
    });
  });

  describe('delegation (代理)', () => {
    it('counts only from the start day to the end day inclusive (Asia/Tokyo)', async () => {
      const today = tokyoToday();
      const windows: [string, string, string, number][] = [
        ['day before start', addDays(today, 1), addDays(today, 3), 403],
        ['start day', today, addDays(today, 3), 200],
        ['end day', addDays(today, -3), today, 200],
        ['day after end', addDays(today, -3), addDays(today, -1), 403],
      ];
      const delegate = await addUser('chief-c-delegate', f.sections.c, ['chief']);
      for (const [name, startsOn, endsOn, status] of windows) {
        const delegationId = await b.delegation({ from: f.users.chiefA.id, to: delegate.id, startsOn, endsOn, reason: name });
        const entry = await makeEntry('submitted');
        const res = await perform('approve', entry, delegate);
        expect([name, res.status]).toEqual([name, status]);
        if (status === 200) {
          expect((await auditOf(entry.id)).at(-1)).toMatchObject({
            action: 'entry.approve',
            actor_user_id: delegate.id,
            on_behalf_of_user_id: f.users.chiefA.id,
            acting: true,
          });
        } else {
          expect(await row(entry.id)).toMatchObject({ state: 'submitted', version: entry.version });
        }
        await t.db.query(`UPDATE delegations SET revoked_at = now() WHERE id = $1`, [delegationId]);
      }
    });

    it('creates, lists, shows in the inbox with onBehalfOf, and revokes with an audit row', async () => {
      const today = tokyoToday();
      const delegate = await addUser('chief-b2', f.sections.b, ['chief']);
      await t
        .http()
        .post('/api/delegations')
        .set(auth(f.users.chiefB))
        .send({ fromUserId: f.users.chiefA.id, toUserId: delegate.id, startsOn: today, endsOn: today })
        .expect(403);
      const bad = await t
        .http()
        .post('/api/delegations')
        .set(auth(f.users.chiefA))
        .send({ toUserId: delegate.id, startsOn: addDays(today, 2), endsOn: addDays(today, 1) })
        .expect(422);
      expect(bad.body.field).toBe('endsOn');
      const self = await t
        .http()
        .post('/api/delegations')
        .set(auth(f.users.chiefA))
        .send({ toUserId: f.users.chiefA.id, startsOn: today, endsOn: today })
        .expect(422);
      expect(self.body.field).toBe('toUserId');
      const created = await t
        .http()
        .post('/api/delegations')
        .set(auth(f.users.chiefA))
        .send({ toUserId: delegate.id, startsOn: today, endsOn: addDays(today, 6), reason: '出張のため' })
        .expect(201);
      expect(created.body).toMatchObject({ fromUserId: f.users.chiefA.id, toUserId: delegate.id, active: true, startsOn: today });
      const byPlanning = await t
        .http()
        .post('/api/delegations')
        .set(auth(f.users.planning))
        .send({ fromUserId: f.users.evaluator.id, toUserId: delegate.id, startsOn: addDays(today, 10), endsOn: addDays(today, 12) })
        .expect(201);
      expect(byPlanning.body).toMatchObject({ fromUserId: f.users.evaluator.id, createdBy: f.users.planning.id, active: false, state: 'pending' });

      const given = await t.http().get('/api/delegations').set(auth(f.users.chiefA)).expect(200);
      expect(given.body.given.map((d: { id: number }) => d.id)).toContain(created.body.id);
      const received = await t.http().get('/api/delegations').set(auth(delegate)).expect(200);
      expect(received.body.received.map((d: { id: number }) => d.id).sort()).toEqual([created.body.id, byPlanning.body.id].sort());

      const entry = await makeEntry('submitted');
      const inbox = await t.http().get('/api/approvals/inbox').set(auth(delegate)).expect(200);
      const listed = inbox.body.groups.flatMap((g: any) => g.sections.flatMap((s: any) => s.entries));
      expect(listed.find((e: { id: number }) => e.id === entry.id)).toMatchObject({
        acting: true,
        onBehalfOf: { userId: f.users.chiefA.id, name: 'chief-a' },
      });

      await t.http().delete(`/api/delegations/${created.body.id}`).set(auth(f.users.chiefB)).expect(403);
      const revoked = await t.http().delete(`/api/delegations/${created.body.id}`).set(auth(f.users.chiefA)).expect(200);
      expect(revoked.body).toMatchObject({ active: false, revokedAt: expect.any(String) });
      await t.http().delete(`/api/delegations/${created.body.id}`).set(auth(f.users.chiefA)).expect(409);
      const audit = await t.db.query(`SELECT action, actor_user_id FROM audit_log WHERE subject_type = 'delegation' AND subject_id = $1 ORDER BY id`, [
        String(created.body.id),
      ]);
      expect(audit).toEqual([
        { action: 'delegation.create', actor_user_id: f.users.chiefA.id },
        { action: 'delegation.revoke', actor_user_id: f.users.chiefA.id },
      ]);
      await perform('approve', entry, delegate).expect(403);
    });
  });

  describe('return (差戻し), withdraw, reopen', () => {
    it('refuses a return without a comment, naming the field, and changes nothing', async () => {
      const entry = await makeEntry('submitted');
      const missing = await t.http().post(`/api/entries/${entry.id}/return`).set(auth(f.users.chiefA)).send({ version: entry.version }).expect(400);
      expect(JSON.stringify(missing.body.message)).toMatch(/comment/);
      const blank = await t
        .http()
        .post(`/api/entries/${entry.id}/return`)
        .set(auth(f.users.chiefA))
        .send({ version: entry.version, comment: '   ' })
        .expect(422);
      expect(blank.body.field).toBe('comment');
      const unknownField = await t
        .http()
        .post(`/api/entries/${entry.id}/return`)
        .set(auth(f.users.chiefA))
        .send({ version: entry.version, comment: '確認', fieldComments: { budget: 'x' } })
        .expect(422);
      expect(unknownField.body.field).toBe('fieldComments.budget');
      expect(await row(entry.id)).toMatchObject({ state: 'submitted', version: entry.version, return_comment: null });
      expect(await auditOf(entry.id)).toEqual([]);
    });

    it('returns with field comments from the evaluator step; the author sees them and the route restarts', async () => {
      const entry = await makeEntry('in_review', { step: 1 });
      const res = await t
        .http()
        .post(`/api/entries/${entry.id}/return`)
        .set(auth(f.users.evaluator))
        .send({ version: entry.version, comment: '評価の根拠が不足しています', fieldComments: { rating: '○の根拠は？', progress: '実績値を記載' } })
        .expect(200);
      expect(res.body).toMatchObject({ state: 'returned', currentStep: 0 });
      const detail = await t.http().get(`/api/entries/${entry.id}`).set(auth(f.users.staffA)).expect(200);
      expect(detail.body.entry).toMatchObject({
        returnComment: '評価の根拠が不足しています',
        returnFieldComments: { rating: '○の根拠は？', progress: '実績値を記載' },
      });
      expect((await auditOf(entry.id)).at(-1)).toMatchObject({
        action: 'entry.return',
        actor_user_id: f.users.evaluator.id,
        acting: false,
        on_behalf_of_user_id: null,
        comment: '評価の根拠が不足しています',
      });
    });

    it('withdraws only from the own section and before the first approval', async () => {
      const entry = await makeEntry('submitted');
      await perform('withdraw', entry, f.users.chiefB).expect(403);
      // Once anyone approved it, it is in review: too late to withdraw.
      const reviewed = await makeEntry('in_review', { step: 1 });
      const res = await perform('withdraw', reviewed).expect(409);
      expect(res.body.field).toBe('state');
      // Submitted past the chief step (the chief wrote it) is still before any approval.
      const chiefs = await makeEntry('submitted', { step: 1 });
      await perform('withdraw', chiefs).expect(200);
      await perform('withdraw', entry, f.users.staffA).expect(200);
    });

    it('reopens an accepted entry only for planning, with a reason shown to the section', async () => {
      const entry = await makeEntry('accepted');
      await perform('reopen', entry, f.users.chiefA).expect(403);
      const noReason = await t.http().post(`/api/entries/${entry.id}/reopen`).set(auth(f.users.planning)).send({ version: entry.version }).expect(400);
      expect(JSON.stringify(noReason.body.message)).toMatch(/reason/);
      const res = await perform('reopen', entry).expect(200);
      expect(res.body).toMatchObject({ state: 'returned', returnComment: '公表前に再確認するため', acceptedAt: null, currentStep: 0 });
    });
  });

  it('bulk-approves entry by entry, reporting ok, 409, 403 and 404 per entry', async () => {
    const ok = await makeEntry('submitted');
    const stale = await makeEntry('submitted');
    const own = await makeEntry('submitted', { author: chiefA2.id, editor: chiefA2.id });
    const res = await t
      .http()
      .post('/api/approvals/bulk-approve')
      .set(auth(chiefA2))
      .send({
        items: [
          { id: ok.id, version: ok.version },
          { id: stale.id, version: stale.version + 5 },
          { id: own.id, version: own.version },
          { id: 9999999, version: 1 },
        ],
      })
      .expect(200);
    expect(res.body).toEqual([
      { id: ok.id, ok: true, status: 200, message: expect.any(String) },
      { id: stale.id, ok: false, status: 409, message: expect.any(String) },
      { id: own.id, ok: false, status: 403, message: expect.any(String) },
      { id: 9999999, ok: false, status: 404, message: expect.any(String) },
    ]);
    expect(await row(ok.id)).toMatchObject({ state: 'in_review', current_step: 1 });
    expect(await row(stale.id)).toMatchObject({ state: 'submitted', current_step: 0 });
    const bad = await t
      .http()
      .post('/api/approvals/bulk-approve')
      .set(auth(chiefA2))
      .send({ items: [{ id: 'x' }] })
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/items/);
  });

  it("lists my inbox grouped by cycle and section, without entries I wrote or others' steps", async () => {
    const mine = await makeEntry('submitted');
    const own = await makeEntry('submitted', { author: chiefA2.id, editor: chiefA2.id });
    const atEvaluator = await makeEntry('in_review', { step: 1 });
    const otherSection = await makeEntry('submitted', { sectionId: f.sections.b, author: null, editor: null });
    const res = await t.http().get('/api/approvals/inbox').set(auth(chiefA2)).expect(200);
    const ids = res.body.groups.flatMap((g: any) => g.sections.flatMap((s: any) => s.entries.map((e: { id: number }) => e.id)));
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(own.id);
    expect(ids).not.toContain(atEvaluator.id);
    expect(ids).not.toContain(otherSection.id);
    expect(res.body.total).toBe(ids.length);
    const group = res.body.groups.find((g: { cycleId: number }) => g.cycleId === cycleId);
    expect(group.cycleLabel).toMatch(/令和6年度/);
    const section = group.sections.find((s: { sectionId: number }) => s.sectionId === f.sections.a);
    expect(section).toMatchObject({ sectionName: 'こども支援課', count: section.entries.length });
    expect(section.entries.find((e: { id: number }) => e.id === mine.id)).toMatchObject({ stepLabel: '所管課長', onBehalfOf: null, acting: false });
    const evaluatorInbox = await t.http().get('/api/approvals/inbox').set(auth(f.users.evaluator)).expect(200);
    expect(JSON.stringify(evaluatorInbox.body)).toContain(`"id":${atEvaluator.id},`);
  });

  it('pendingApprovers gives the principals who must act now, never the writers', async () => {
    const atChief = await makeEntry('submitted', { author: chiefA2.id, editor: chiefA2.id });
    const atEvaluator = await makeEntry('in_review', { step: 1 });
    const done = await makeEntry('accepted');
    const routing = t.app.get(ApprovalRoutingService);
    const map = await routing.pendingApprovers(t.db.manager, [atChief.id, atEvaluator.id, done.id]);
    expect(map.get(atChief.id)).toEqual([f.users.chiefA.id]);
    expect(map.get(atEvaluator.id)).toEqual([f.users.evaluator.id]);
    expect(map.get(done.id)).toEqual([]);
  });

  it("diffs an entry against the last reviewed version and the previous cycle's entry", async () => {
    const earlier = await openCycle('appr-diff', '2024-H1');
    const first = await makeEntry('accepted', { cycle: earlier.cycleId });
    const [{ item_id }] = await t.db.query(`SELECT item_id FROM entries WHERE id = $1`, [first.id]);
    const next = await openCycle('appr-diff', '2024-H2');
    const [e] = await t.db.query(`SELECT * FROM entries WHERE cycle_id = $1 AND item_id = $2`, [next.cycleId, item_id]);
    expect(e.previous_entry_id).toBe(first.id);
    const put = (version: number, progress: string) =>
      t.http().put(`/api/entries/${e.id}`).set(auth(f.users.staffA)).send({ version, progress, rating: '○' }).expect(200);
    const submit = (version: number, progress: string) =>
      t.http().post(`/api/entries/${e.id}/submit`).set(auth(f.users.staffA)).send({ version, progress, rating: '○' }).expect(200);
    const v2 = await put(e.version, '下書きの進捗');
    const v3 = await submit(v2.body.version, '提出した進捗');
    const diff1 = await t.http().get(`/api/entries/${e.id}/diff`).set(auth(f.users.evaluator)).expect(200);
    const progress1 = diff1.body.find((d: { field: string }) => d.field === 'progress');
    expect(progress1).toMatchObject({
      label: '進捗状況',
      current: '提出した進捗',
      previousVersion: '下書きの進捗',
      previousCycle: '計画どおり進めている',
      changedSinceVersion: true,
    });
    expect(diff1.body.map((d: { field: string }) => d.field)).toEqual([
      'rating',
      'progress',
      'fiscalGoal',
      'shortTermPlan',
      'kpiActuals',
      'reason',
      'nextSteps',
    ]);

    const v4 = await t.http().post(`/api/entries/${e.id}/approve`).set(auth(f.users.chiefA)).send({ version: v3.body.version }).expect(200);
    const v5 = await t
      .http()
      .post(`/api/entries/${e.id}/return`)
      .set(auth(f.users.evaluator))
      .send({ version: v4.body.version, comment: '具体的に' })
      .expect(200);
    const v6 = await put(v5.body.version, '途中で保存した進捗');
    await submit(v6.body.version, '具体的にした進捗');
    const diff2 = await t.http().get(`/api/entries/${e.id}/diff`).set(auth(f.users.evaluator)).expect(200);
    expect(diff2.body.find((d: { field: string }) => d.field === 'progress')).toMatchObject({
      current: '具体的にした進捗',
      previousVersion: '提出した進捗',
    });
    expect(diff2.body.find((d: { field: string }) => d.field === 'rating')).toMatchObject({ current: '○', previousVersion: '○', changedSinceVersion: false });
    await t.http().get(`/api/entries/${e.id}/diff`).set(auth(f.users.chiefB)).expect(403);
  });

  it('exports the audit rows of a cycle as CSV with BOM, Japanese headers and the 代決 column', async () => {
    const delegate = await addUser('chief-c2', f.sections.c, ['chief']);
    await b.delegation({ from: f.users.chiefA.id, to: delegate.id, startsOn: tokyoToday() });
    const entry = await makeEntry('submitted');
    await perform('approve', entry, delegate).expect(200);
    await t.http().get(`/api/approvals/audit.csv?cycleId=${cycleId}`).set(auth(f.users.chiefA)).expect(403);
    await t.http().get(`/api/approvals/audit.csv`).set(auth(f.users.planning)).expect(400);
    await t.http().get(`/api/approvals/audit.csv?cycleId=999999`).set(auth(f.users.planning)).expect(404);
    const res = await t
      .http()
      .get(`/api/approvals/audit.csv?cycleId=${cycleId}`)
      .set(auth(f.users.planning))
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('"日時","操作","エントリーID","項目番号","項目名","所管課","操作者","代理元","代決","変更前状態","変更後状態","コメント"');
    const line = lines.find((l) => l.includes(`"${entry.id}"`) && l.includes('"承認"'));
    expect(line).toContain(`"chief-c2","chief-a","代決","提出済","審査中"`);
  });

  it('keeps the audit log immutable for the application role (no privilege) and for the owner (the trigger)', async () => {
    const [before] = await t.db.query(`SELECT * FROM audit_log ORDER BY id LIMIT 1`);
    await expect(t.db.query(`UPDATE audit_log SET comment = 'changed' WHERE id = $1`, [before.id])).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`DELETE FROM audit_log WHERE id = $1`, [before.id])).rejects.toThrow(/permission denied/);
    await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/permission denied/);
    const owner = await adminClient(t.config, t.config.DB_NAME);
    try {
      await expect(owner.query(`UPDATE audit_log SET comment = 'changed' WHERE id = $1`, [before.id])).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM audit_log WHERE id = $1`, [before.id])).rejects.toThrow(/append-only/);
      await expect(owner.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    } finally {
      await owner.end();
    }
    expect((await t.db.query(`SELECT * FROM audit_log WHERE id = $1`, [before.id]))[0]).toEqual(before);
    const grants = await t.db.query(`SELECT privilege_type FROM information_schema.role_table_grants WHERE table_name = 'audit_log' AND grantee = 'PUBLIC'`);
    expect(grants).toEqual([]);
  });
});
