import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { japaneseDate } from '@app/reminders';
import { addBusinessDays, slotKey, tokyoToday } from '@app/domain';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { pastHour } from './utils/reminder-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Review reminders count from when an entry starts waiting at a step, by real mail: a cycle
 * opened late (its review deadline long past) still reminds its approvers, with the real
 * business-day count; overdue, the approver's superior (the department head) hears of it in
 * their own digest; an approver who is also a section writer gets one mail for both.
 */
describe('reminders: review reminders from when an entry starts waiting', () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext;
  const sink = new SmtpSink();
  const late = { id: 0, label: '' };
  const current = { id: 0, label: '' };
  let entryId: number;
  let waitDeadline: string;

  const open = async (code: string, periodType: string, cycleBody: Record<string, unknown>) => {
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code, name: `市長公約 ${code}`, planId: f.planId, scaleCode: 'progress4', submissionOffsetDays: 40, reviewOffsetDays: 60, periodType })
      .expect(201);
    const cycle = await t
      .http()
      .post('/api/cycles')
      .set(bearer(f.users.planning.token))
      .send({ templateId: tpl.body.id, ...cycleBody })
      .expect(201);
    await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    return { id: cycle.body.id as number, label: cycle.body.label as string };
  };
  const digests = (login: string, key: string) =>
    t.db.query(`SELECT m.status FROM reminder_mails m JOIN users u ON u.id = m.recipient_user_id WHERE u.login = $1 AND m.slot_key = $2`, [login, key]);
  async function settled(key: string) {
    for (let i = 0; i < 150; i++) {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM reminder_mails WHERE slot_key = $1 AND status IN ('pending','enqueued','sending')`, [
        key,
      ]);
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`mails of ${key} not settled`);
  }
  const reminders = (address: string, key: string) =>
    sink.to(address).filter((m) => m.messageId.startsWith('<reminder-') && m.subject.match(/^【(督促|本日締切|期限のお知らせ)】/) && keyOf(m) === key);
  const sentKeys = new Map<string, string>();
  const keyOf = (m: { messageId: string }) => sentKeys.get(m.messageId);
  async function remember() {
    const rows: { id: string; slot_key: string }[] = await t.db.query(`SELECT id, slot_key FROM reminder_mails WHERE kind = 'digest'`);
    for (const r of rows) sentKeys.set(`<reminder-${r.id}@hyoka>`, r.slot_key);
  }

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      SMTP_PORT: String(sink.port),
      PUBLIC_URL: 'https://hyoka.example.jp',
      REMINDER_RELAY_EVERY_SECONDS: '1',
      NOTICE_BATCH_SECONDS: '1',
    });
    f = await createCycleFixture(t);
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    Object.assign(late, await open('late', 'half_year', { periodKey: '2020-H1' }));
    Object.assign(current, await open('now', 'monthly', { date: tokyoToday() }));
    // This suite counts digests; the 依頼 of the openings are test/notices*.e2e-spec.ts's.
    await t.db.query(`DELETE FROM reminder_mails WHERE kind = 'notice'`);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  it('an entry submitted in a cycle opened late: its approver gets reminders counted from that day', async () => {
    const [entry] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      late.id,
      f.items[1],
      f.sections.a,
    ]);
    entryId = entry.id;
    await t
      .http()
      .post(`/api/entries/${entry.id}/submit`)
      .set(bearer(f.users.staffA.token))
      .send({ version: entry.version, rating: '○', progress: '予定どおり' })
      .expect(200);
    waitDeadline = addBusinessDays(tokyoToday(), t.config.REVIEW_MIN_BUSINESS_DAYS);
    const [wait] = await t.db.query(
      `SELECT to_char(since, 'YYYY-MM-DD') AS since, to_char(deadline, 'YYYY-MM-DD') AS deadline FROM review_waits WHERE entry_id = $1`,
      [entry.id],
    );
    expect(wait).toEqual({ since: tokyoToday(), deadline: waitDeadline });
    const slots = await t.db.query(
      `SELECT kind, business_days_from_deadline AS n FROM reminder_slots WHERE cycle_id = $1 AND audience = 'review' AND deadline = $2 ORDER BY send_at`,
      [late.id, waitDeadline],
    );
    // 7 days before is already past on the day it reached the chief (the 承認依頼 went at once); the rest are ahead.
    expect(slots.map((s: { kind: string; n: number }) => `${s.kind} ${s.n}`)).toEqual([
      'before -3',
      'on_deadline 0',
      'overdue 2',
      'overdue 4',
      'overdue 6',
      'overdue 8',
      'overdue 10',
    ]);
  });

  it('at the send hour, an approver who also writes for a section gets one mail with both; the count is real', async () => {
    const at = pastHour(3);
    const key = slotKey(at);
    await t.db.query(`UPDATE reminder_slots SET send_at = $3 WHERE cycle_id = $1 AND audience = 'review' AND deadline = $2 AND kind = 'before'`, [
      late.id,
      waitDeadline,
      at,
    ]);
    await t.db.query(`UPDATE reminder_slots SET send_at = $2 WHERE cycle_id = $1 AND audience = 'submit' AND business_days_from_deadline = -7`, [
      current.id,
      at,
    ]);
    await sink.waitFor(() => sink.messages.filter((m) => m.subject.startsWith('【期限のお知らせ】')).length >= 3, 20_000);
    await settled(key);
    await remember();
    expect(await digests('chief-a', key)).toEqual([{ status: 'sent' }]);
    const [mail, ...more] = reminders('chief-a@example.jp', key);
    expect(more).toEqual([]);
    expect(mail.subject).toBe(
      `【期限のお知らせ】${late.label} ほか1サイクル：エントリーの承認・エントリーの提出の期限は${japaneseDate(waitDeadline)}です（3件）（評価サイクル）`,
    );
    expect(mail.text).toContain(`■ ${late.label}（エントリーの承認）`);
    expect(mail.text).toContain(`期限: ${japaneseDate(waitDeadline)} … 期限まであと${t.config.REVIEW_MIN_BUSINESS_DAYS}営業日です`);
    expect(mail.text).toContain(`No.2 小・中学校の給食費無料化（こども支援課／提出済）`);
    expect(mail.text).toContain(`https://hyoka.example.jp/#/entries/${entryId}`);
    expect(mail.text).toContain(`■ ${current.label}（エントリーの提出）`);
    // The writer who is no approver hears only of the writing; the evaluator has nothing yet.
    const [toStaff] = reminders('staff-a@example.jp', key);
    expect(toStaff.text).not.toContain('エントリーの承認');
    expect(reminders('eval-d1@example.jp', key)).toEqual([]);
  }, 60_000);

  it('overdue: the approver is reminded with the real count and their superior (the department head) gets one mail', async () => {
    const at = pastHour(2);
    const key = slotKey(at);
    // The wait's deadline was two business days ago (tests move the clock by moving the rows).
    const passed = addBusinessDays(tokyoToday(), -2);
    await t.db.query(`UPDATE review_waits SET deadline = $2 WHERE entry_id = $1`, [entryId, passed]);
    await t.db.query(
      `UPDATE reminder_slots SET send_at = $3, deadline = $4 WHERE cycle_id = $1 AND audience = 'review' AND deadline = $2 AND kind = 'overdue' AND business_days_from_deadline = 2`,
      [late.id, waitDeadline, at, passed],
    );
    await sink.waitFor(() => sink.messages.filter((m) => m.subject.startsWith('【督促】')).length >= 2, 20_000);
    await settled(key);
    await remember();
    const [toChief, ...more] = reminders('chief-a@example.jp', key);
    expect(more).toEqual([]);
    expect(toChief.subject).toBe(`【督促】${late.label}：エントリーの承認の期限を過ぎています（1件）（評価サイクル）`);
    expect(toChief.text).toContain('期限を2営業日過ぎています');
    expect(toChief.text).toContain('所属部長にもお知らせしています');
    const toHead = reminders('eval-d1@example.jp', key);
    expect(toHead).toHaveLength(1);
    expect(toHead[0].subject).toBe(`【督促】${late.label}：エントリーの承認の期限を過ぎています（1件）（評価サイクル）`);
    expect(toHead[0].text).toContain('所属部の課で期限を過ぎているエントリーです');
    expect(toHead[0].text).toContain('No.2 小・中学校の給食費無料化（こども支援課／提出済）');
    expect(
      sink.messages
        .filter((m) => keyOf(m) === key)
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['chief-a@example.jp', 'eval-d1@example.jp']);
  }, 60_000);

  it('passed on to the evaluator: a new wait, and the evaluator of the late cycle is reminded (nobody above to copy)', async () => {
    const [entry] = await t.db.query(`SELECT version FROM entries WHERE id = $1`, [entryId]);
    await t.http().post(`/api/entries/${entryId}/approve`).set(bearer(f.users.chiefA.token)).send({ version: entry.version }).expect(200);
    const [wait] = await t.db.query(`SELECT to_char(deadline, 'YYYY-MM-DD') AS deadline FROM review_waits WHERE entry_id = $1`, [entryId]);
    expect(wait.deadline).toBe(waitDeadline);
    const at = pastHour(1);
    const key = slotKey(at);
    await t.db.query(`UPDATE reminder_slots SET send_at = $3 WHERE cycle_id = $1 AND audience = 'review' AND deadline = $2 AND kind = 'on_deadline'`, [
      late.id,
      waitDeadline,
      at,
    ]);
    await sink.waitFor(() => sink.messages.some((m) => m.to.includes('eval-d1@example.jp') && m.subject.startsWith('【本日締切】')), 20_000);
    await settled(key);
    await remember();
    const toEvaluator = reminders('eval-d1@example.jp', key);
    expect(toEvaluator).toHaveLength(1);
    expect(toEvaluator[0].text).toContain(`■ ${late.label}（エントリーの承認）`);
    expect(toEvaluator[0].text).toContain('小・中学校の給食費無料化');
    expect(toEvaluator[0].text).not.toContain('所属部長にもお知らせしています');
    // The chief has approved: nothing for them at this hour.
    expect(reminders('chief-a@example.jp', key)).toEqual([]);
  }, 60_000);
});
