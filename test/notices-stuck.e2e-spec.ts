import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { ReminderRelayService } from '@app/reminders';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, userWithToken } from './utils/factories';
import { pastHour } from './utils/reminder-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * An entry that waits at a step nobody can hold (a vacant post, a disabled evaluator) is
 * escalated by mail to the planning division: once per entry and state, not at every send
 * hour, composed when sent; a post that falls vacant later is found at the next send hour.
 */
describe('notices: escalation of entries nobody can approve', () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext;
  const sink = new SmtpSink();
  let cycleId: number;
  let cycleLabel: string;
  let staffB: { id: number; token: string };

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      SMTP_PORT: String(sink.port),
      PUBLIC_URL: 'https://hyoka.example.jp',
      REMINDER_RELAY_EVERY_SECONDS: '1',
      NOTICE_BATCH_SECONDS: '2',
    });
    f = await createCycleFixture(t);
    staffB = await userWithToken(t, { login: 'staff-b', roles: ['staff'], sectionId: f.sections.b });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code: 'st', name: '市長公約 半期', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId: tpl.body.id, periodKey: '2026-H2' }).expect(201);
    cycleId = cycle.body.id;
    cycleLabel = cycle.body.label;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    // This suite counts escalations; the 依頼 have test/notices.e2e-spec.ts.
    await t.db.query(`DELETE FROM reminder_mails WHERE kind = 'notice'`);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  const escalations = () => sink.messages.filter((m) => m.subject.startsWith('【要対応】'));
  const entryOf = async (item: number, section: number) =>
    (await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycleId, item, section]))[0];
  const submit = async (token: string, e: { id: number; version: number }) =>
    (await t.http().post(`/api/entries/${e.id}/submit`).set(bearer(token)).send({ version: e.version, rating: '○', progress: '予定どおり' }).expect(200)).body;
  /** A send hour of the cycle comes (one of its slots falls due and the relay fans it out). */
  async function sendHour(hoursAgo: number) {
    await t.db.query(
      `UPDATE reminder_slots SET send_at = $2 WHERE id = (SELECT id FROM reminder_slots WHERE cycle_id = $1 AND status = 'pending' ORDER BY send_at LIMIT 1)`,
      [cycleId, pastHour(hoursAgo)],
    );
    await t.app.get(ReminderRelayService).relay();
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 4000));

  it('a submission in a section without a chief goes to planning, once, with why and a link', async () => {
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [f.users.chiefB.id]);
    const e = await entryOf(f.items[0], f.sections.b);
    await submit(staffB.token, e);
    await sink.waitFor(() => escalations().length >= 1, 15_000);
    await settle();
    expect(escalations()).toHaveLength(1);
    const [mail] = escalations();
    expect(mail.to).toEqual(['planning@example.jp']);
    expect(mail.subject).toBe(`【要対応】${cycleLabel} 承認する人がいないエントリーが1件あります（評価サイクル）`);
    expect(mail.text).toContain('No.1: 18歳までの医療費完全無料化（保育幼稚園課・所管課長が不在です（保育幼稚園課に課長の利用者がいません））');
    expect(mail.text).toContain(`https://hyoka.example.jp/#/entries/${e.id}`);
    expect(mail.text).toContain('お問い合わせ: 企画担当');
    expect(mail.html).toContain('承認する人がいないエントリー');

    // The next send hours find it still stuck, and say nothing more.
    await sendHour(2);
    await sendHour(1);
    await settle();
    expect(escalations()).toHaveLength(1);
  }, 60_000);

  it('an evaluator whose account was disabled: the entry the chief approves goes to planning', async () => {
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [f.users.evaluator.id]);
    const e = await entryOf(f.items[1], f.sections.a);
    const submitted = await submit(f.users.staffA.token, e);
    await t.http().post(`/api/entries/${e.id}/approve`).set(bearer(f.users.chiefA.token)).send({ version: submitted.version }).expect(200);
    await sink.waitFor(() => escalations().length >= 2, 15_000);
    const mail = escalations()[1];
    expect(mail.subject).toBe(`【要対応】${cycleLabel} 承認する人がいないエントリーが1件あります（評価サイクル）`);
    expect(mail.text).toContain('No.2: 小・中学校の給食費無料化（こども支援課・評価者（eval-d1）の利用者が無効です）');
    await t.db.query(`UPDATE users SET active = true WHERE id = $1`, [f.users.evaluator.id]);
  }, 60_000);

  it('a chief who leaves after an entry started waiting: found at the next send hour, told once', async () => {
    const e = await entryOf(f.items[0], f.sections.a);
    await submit(f.users.staffA.token, e);
    await sink.waitFor(() => sink.messages.some((m) => m.subject.startsWith('【承認依頼】') && m.to.includes('chief-a@example.jp')), 15_000);
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [f.users.chiefA.id]);
    await settle();
    expect(escalations()).toHaveLength(2);
    await sendHour(3);
    await sink.waitFor(() => escalations().length >= 3, 15_000);
    const mail = escalations()[2];
    expect(mail.text).toContain('No.1: 18歳までの医療費完全無料化（こども支援課・所管課長が不在です（こども支援課に課長の利用者がいません））');
    // The entry of section B was told before: not again.
    expect(mail.text).not.toContain('保育幼稚園課');
    await sendHour(2);
    await settle();
    expect(escalations()).toHaveLength(3);
  }, 60_000);
});
