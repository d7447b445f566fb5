import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { tokyoToday } from '@app/domain';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, createDepartment, createSection, userWithToken } from './utils/factories';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * Maker-checker for 代決 and the evaluator: a delegation recorded in someone else's name waits for
 * their (or their superior's) confirmation, the principal hears of everything done in their name
 * (後閲, by real mail), nobody approves two steps of one entry, and nobody names themselves evaluator.
 */
describe('delegation maker-checker, 後閲 and segregation across the route', () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext;
  const sink = new SmtpSink();
  let cycleId: number;
  let outsider: { id: number; token: string };
  const today = tokyoToday();

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ SMTP_PORT: String(sink.port), PUBLIC_URL: 'https://hyoka.example.jp', REMINDER_RELAY_EVERY_SECONDS: '1' });
    f = await createCycleFixture(t);
    const dept = await createDepartment(t, { code: 'd9', name: '総務部' });
    outsider = await userWithToken(t, {
      login: 'soumu-chief',
      roles: ['chief'],
      sectionId: await createSection(t, { departmentId: dept, code: 's9', name: '総務課' }),
    });
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code: 'mc', name: '代決試験', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId: tpl.body.id, periodKey: '2026-H1' }).expect(201);
    cycleId = cycle.body.id;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  /** Section A's entry of item `index`, submitted by staff A and, when `chiefApproves`, approved by chief A. */
  async function entryAtEvaluator(index: number): Promise<{ id: number; version: number }> {
    const [row] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycleId,
      f.items[index],
      f.sections.a,
    ]);
    const submitted = await t
      .http()
      .post(`/api/entries/${row.id}/submit`)
      .set(bearer(f.users.staffA.token))
      .send({ version: row.version, rating: '○', progress: '予定どおり進めた' })
      .expect(200);
    const approved = await t
      .http()
      .post(`/api/entries/${row.id}/approve`)
      .set(bearer(f.users.chiefA.token))
      .send({ version: submitted.body.version })
      .expect(200);
    expect(approved.body).toMatchObject({ state: 'in_review', currentStep: 1 });
    return { id: row.id, version: approved.body.version };
  }

  const mailTo = (login: string, subject: string) =>
    sink
      .waitFor(() => sink.messages.some((m) => m.to.includes(`${login}@example.jp`) && m.subject.includes(subject)), 15_000)
      .then(() => sink.messages.filter((m) => m.to.includes(`${login}@example.jp`) && m.subject.includes(subject)));

  it('a delegation recorded by planning waits for the principal or their superior, who is told; then the delegate reads and approves, and the principal gets a 後閲 notice', async () => {
    // Nobody records, in someone else's name, a delegation to themselves.
    const toSelf = await t
      .http()
      .post('/api/delegations')
      .set(bearer(f.users.planning.token))
      .send({ fromUserId: f.users.evaluator.id, toUserId: f.users.planning.id, startsOn: today, endsOn: addDays(today, 3) })
      .expect(403);
    expect(toSelf.body.field).toBe('toUserId');
    expect(await t.db.query(`SELECT id FROM delegations`)).toEqual([]);

    const recorded = await t
      .http()
      .post('/api/delegations')
      .set(bearer(f.users.planning.token))
      .send({ fromUserId: f.users.evaluator.id, toUserId: outsider.id, startsOn: today, endsOn: addDays(today, 3), reason: '出張のため' })
      .expect(201);
    expect(recorded.body).toMatchObject({ state: 'pending', stateLabel: '承認待ち', active: false, createdBy: f.users.planning.id });

    const entry = await entryAtEvaluator(0);
    // Pending: it gives nothing, neither the approval nor a look at the entry.
    await t.http().post(`/api/entries/${entry.id}/approve`).set(bearer(outsider.token)).send({ version: entry.version }).expect(403);
    await t.http().get(`/api/entries/${entry.id}`).set(bearer(outsider.token)).expect(403);

    const [request] = await mailTo('eval-d1', '確認依頼');
    expect(request.subject).toBe('【確認依頼】planningさんがあなたの代理設定を登録しました（評価サイクル）');
    expect(request.text).toContain('planningさんが、あなたの承認をsoumu-chiefさんが代決できるよう代理設定を登録しました');
    expect(request.text).toContain('理由: 出張のため');
    expect(request.text).toContain('https://hyoka.example.jp/#/delegations');

    // The recorder, the delegate and a fellow chief may not confirm; the principal may.
    for (const who of [f.users.planning, outsider, f.users.chiefA]) {
      await t.http().post(`/api/delegations/${recorded.body.id}/confirm`).set(bearer(who.token)).expect(403);
    }
    const listed = await t.http().get('/api/delegations').set(bearer(f.users.evaluator.token)).expect(200);
    expect(listed.body.given.find((d: { id: number }) => d.id === recorded.body.id)).toMatchObject({ mayConfirm: true, state: 'pending' });
    const confirmed = await t.http().post(`/api/delegations/${recorded.body.id}/confirm`).set(bearer(f.users.evaluator.token)).expect(200);
    expect(confirmed.body).toMatchObject({ state: 'active', confirmedBy: f.users.evaluator.id });
    await t.http().post(`/api/delegations/${recorded.body.id}/confirm`).set(bearer(f.users.evaluator.token)).expect(409);

    const [granted] = await mailTo('soumu-chief', '代理設定');
    expect(granted.subject).toContain('【代理設定】eval-d1さんの承認を代決できます');
    expect(granted.text).toContain('範囲: 全サイクル・全段階');

    // The delegate's inbox says for whom and until when, and lists the entry as 代決.
    const inbox = await t.http().get('/api/approvals/inbox').set(bearer(outsider.token)).expect(200);
    expect(inbox.body.delegations).toEqual([
      expect.objectContaining({ principalName: 'eval-d1', principalPost: 'こども未来部長', startsOn: today, endsOn: addDays(today, 3) }),
    ]);
    const rows = inbox.body.groups.flatMap((g: any) => g.sections.flatMap((s: any) => s.entries));
    expect(rows.find((r: { id: number }) => r.id === entry.id)).toMatchObject({ acting: true, onBehalfOf: { userId: f.users.evaluator.id } });
    // ... can read what they may approve, and approves it in the principal's name.
    const read = await t.http().get(`/api/entries/${entry.id}`).set(bearer(outsider.token));
    expect(read.body.message ?? read.status).toBe(200);
    await t
      .http()
      .post(`/api/entries/${entry.id}/approve`)
      .set(bearer(outsider.token))
      .send({ version: entry.version, comment: '内容を確認しました' })
      .expect(200);
    const [audit] = await t.db.query(
      `SELECT actor_user_id, on_behalf_of_user_id FROM audit_log WHERE subject_type = 'entry' AND subject_id = $1 AND action = 'entry.approve' ORDER BY id DESC LIMIT 1`,
      [String(entry.id)],
    );
    expect(audit).toEqual({ actor_user_id: outsider.id, on_behalf_of_user_id: f.users.evaluator.id });

    const notices = await mailTo('eval-d1', '後閲');
    expect(notices).toHaveLength(1);
    expect(notices[0].subject).toBe('【後閲】soumu-chiefさんが代決で承認しました：No.1 18歳までの医療費完全無料化（評価サイクル）');
    expect(notices[0].text).toContain('段階: 評価者');
    expect(notices[0].text).toContain('代決者: soumu-chief');
    expect(notices[0].text).toContain('内容を確認しました');
    expect(notices[0].text).toContain(`https://hyoka.example.jp/#/entries/${entry.id}`);
    // Once: the outbox row is keyed by the entry's version.
    expect(await t.db.query(`SELECT count(*)::int AS n FROM reminder_mails WHERE kind = 'notice' AND slot_key LIKE 'acted-%'`)).toEqual([{ n: 1 }]);
  });

  it('never lets one person approve two steps of one entry, and gives the evaluator step to the department head instead of a dead end', async () => {
    // Item 2's evaluator is chief A (a chief who is also the item's evaluator), named by planning.
    await t.http().get(`/api/items/${f.items[1]}`).set(bearer(f.users.planning.token)).expect(200);
    await t.db.query(`UPDATE plan_items SET evaluator_user_id = $1 WHERE id = $2`, [f.users.chiefA.id, f.items[1]]);
    const entry = await entryAtEvaluator(1);
    const twice = await t.http().post(`/api/entries/${entry.id}/approve`).set(bearer(f.users.chiefA.token)).send({ version: entry.version }).expect(403);
    expect(twice.body.reason).toBe('approved_earlier_step');
    // Nor through a delegation from the department head.
    await t
      .http()
      .post('/api/delegations')
      .set(bearer(f.users.evaluator.token))
      .send({ toUserId: f.users.chiefA.id, startsOn: today, endsOn: today })
      .expect(201);
    await t.http().post(`/api/entries/${entry.id}/approve`).set(bearer(f.users.chiefA.token)).send({ version: entry.version }).expect(403);
    await t
      .http()
      .post('/api/approvals/bulk-approve')
      .set(bearer(f.users.chiefA.token))
      .send({ items: [{ id: entry.id, version: entry.version }] })
      .expect(200);
    expect((await t.db.query(`SELECT version FROM entries WHERE id = $1`, [entry.id]))[0].version).toBe(entry.version);

    const inbox = await t.http().get('/api/approvals/inbox').set(bearer(f.users.evaluator.token)).expect(200);
    const rows = inbox.body.groups.flatMap((g: any) => g.sections.flatMap((s: any) => s.entries));
    expect(rows.find((r: { id: number }) => r.id === entry.id)).toMatchObject({
      acting: false,
      note: '評価者が前の段階を承認したため、部長が評価者の段階を承認します',
    });
    await t.http().post(`/api/entries/${entry.id}/approve`).set(bearer(f.users.evaluator.token)).send({ version: entry.version }).expect(200);
  });

  it('refuses naming oneself evaluator of an item, by form and by import, and keeps an evaluator someone else named', async () => {
    const item = await t.http().get(`/api/items/${f.items[2]}`).set(bearer(f.users.planning.token)).expect(200);
    const self = await t
      .http()
      .patch(`/api/items/${f.items[2]}`)
      .set(bearer(f.users.planning.token))
      .send({ version: item.body.version, evaluatorUserId: f.users.planning.id })
      .expect(422);
    expect(self.body).toMatchObject({ field: 'evaluatorUserId', message: expect.stringContaining('自分自身を評価者に指定することはできません') });
    expect((await t.db.query(`SELECT evaluator_user_id FROM plan_items WHERE id = $1`, [f.items[2]]))[0].evaluator_user_id).toBeNull();

    const csv = '番号,名称,所管課,評価者\n3,中核市に移行,経営企画課,planning\n';
    const imported = await t
      .http()
      .post(`/api/plans/${f.planId}/items/import`)
      .set(bearer(f.users.planning.token))
      .attach('file', Buffer.from(csv), { filename: 'items.csv', contentType: 'text/csv' })
      .expect(422);
    expect(imported.body.errors).toEqual([expect.objectContaining({ row: 2, field: '評価者' })]);

    // Named by another planner, it stays when the first planner edits the item.
    await t.db.query(`UPDATE plan_items SET evaluator_user_id = $1 WHERE id = $2`, [f.users.planning.id, f.items[2]]);
    const again = await t.http().get(`/api/items/${f.items[2]}`).set(bearer(f.users.planning.token)).expect(200);
    await t
      .http()
      .patch(`/api/items/${f.items[2]}`)
      .set(bearer(f.users.planning.token))
      .send({ version: again.body.version, title: '中核市への移行', evaluatorUserId: f.users.planning.id })
      .expect(200);
  });
});
