import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { ReminderRelayService } from '@app/reminders';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, createUser, userWithToken } from './utils/factories';
import { pastHour } from './utils/reminder-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Entries nobody can approve when there is no active planning user: the administrators are
 * told instead (and the mail says why it reached them); with nobody to tell at all, it is
 * recorded in the audit log (once per entry and state), not dropped in silence.
 */
describe('notices: escalation of entries nobody can approve, without a planning user', () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext;
  const sink = new SmtpSink();
  let cycleId: number;
  let cycleLabel: string;
  let staffB: { id: number; token: string };
  let adminId: number;

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      SMTP_PORT: String(sink.port),
      PUBLIC_URL: 'https://hyoka.example.jp',
      REMINDER_RELAY_EVERY_SECONDS: '1',
      NOTICE_BATCH_SECONDS: '1',
    });
    f = await createCycleFixture(t);
    staffB = await userWithToken(t, { login: 'staff-b', roles: ['staff'], sectionId: f.sections.b });
    adminId = await createUser(t, { login: 'admin1', name: '情報政策課 管理者', roles: ['admin'] });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code: 'sf', name: '市長公約 半期', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId: tpl.body.id, periodKey: '2026-H2' }).expect(201);
    cycleId = cycle.body.id;
    cycleLabel = cycle.body.label;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    await t.db.query(`DELETE FROM reminder_mails WHERE kind = 'notice'`);
    // The only planning user leaves.
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [f.users.planning.id]);
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
  const settle = () => new Promise((resolve) => setTimeout(resolve, 3000));
  const unrouted = () => t.db.query(`SELECT actor_user_id, subject_type, subject_id, after FROM audit_log WHERE action = 'notice.stuck_unrouted' ORDER BY id`);

  it('no active planning user: the administrators get the escalation, saying why it reached them', async () => {
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [f.users.chiefB.id]);
    const e = await entryOf(f.items[0], f.sections.b);
    await submit(staffB.token, e);
    await sink.waitFor(() => escalations().length >= 1, 15_000);
    await settle();
    expect(escalations()).toHaveLength(1);
    const [mail] = escalations();
    expect(mail.to).toEqual(['admin1@example.jp']);
    expect(mail.subject).toBe(`【要対応】${cycleLabel} 承認する人がいないエントリーが1件あります（評価サイクル）`);
    expect(mail.text).toContain('情報政策課 管理者 様');
    expect(mail.text).toContain('企画担当の有効な利用者がいないため、管理者のあなたにお送りしています。企画担当の利用者を設定してください。');
    expect(mail.text).toContain('No.1: 18歳までの医療費完全無料化（保育幼稚園課・所管課長が不在です');
    expect(mail.text).toContain(`https://hyoka.example.jp/#/entries/${e.id}`);
    expect(sink.to('planning@example.jp')).toEqual([]);
    expect(await unrouted()).toEqual([]);
  }, 60_000);

  it('nobody to tell at all: recorded in the audit log once, no mail', async () => {
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [adminId]);
    await t.db.query(`UPDATE users SET active = false WHERE id = $1`, [f.users.chiefA.id]);
    const e = await entryOf(f.items[1], f.sections.a);
    const submitted = await submit(f.users.staffA.token, e);
    await settle();
    expect(escalations()).toHaveLength(1);
    const rows = await unrouted();
    expect(rows).toEqual([
      {
        actor_user_id: null,
        subject_type: 'cycle',
        subject_id: String(cycleId),
        after: { entries: [`${e.id}-v${submitted.version}`], reason: '企画担当・管理者の有効な利用者（メールアドレスのある）がいないため、通知できません' },
      },
    ]);
    // The next send hour finds it still stuck: not recorded again.
    await t.db.query(
      `UPDATE reminder_slots SET send_at = $2 WHERE id = (SELECT id FROM reminder_slots WHERE cycle_id = $1 AND status = 'pending' ORDER BY send_at LIMIT 1)`,
      [cycleId, pastHour(1)],
    );
    await t.app.get(ReminderRelayService).relay();
    await settle();
    expect(await unrouted()).toHaveLength(1);
    expect(escalations()).toHaveLength(1);
  }, 60_000);
});
