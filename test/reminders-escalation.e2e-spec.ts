import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { addBusinessDays, nextSendTime, slotKey, tokyoToday } from '@app/domain';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer, createUser } from './utils/factories';
import { dueSinceLastSendHour, pastHour } from './utils/reminder-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Escalation after the deadline, by real mail: the department head hears of their sections'
 * overdue entries in one mail per send hour (not a copy on each member's), and a head who
 * chose the daily mail finds it in that mail instead.
 */
describe('reminders: escalation to the department head', () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext;
  const sink = new SmtpSink();
  let cycle: { id: number; label: string };

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ SMTP_PORT: String(sink.port), PUBLIC_URL: 'https://hyoka.example.jp', REMINDER_RELAY_EVERY_SECONDS: '1' });
    f = await createCycleFixture(t);
    // Section A has eight members to remind (its chief, staff-a and six more), section B its chief.
    for (let n = 1; n <= 6; n++) await createUser(t, { login: `member-a${n}`, roles: ['staff'], sectionId: f.sections.a });
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({
        code: 'esc',
        name: '市長公約 月次',
        planId: f.planId,
        periodType: 'monthly',
        scaleCode: 'progress4',
        submissionOffsetDays: 40,
        reminderSchedule: { beforeBusinessDays: [3], onDeadline: true, overdueEveryBusinessDays: 2, overdueMaxCount: 3 },
      })
      .expect(201);
    const created = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId: tpl.body.id, date: tokyoToday() }).expect(201);
    await t.http().post(`/api/cycles/${created.body.id}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    cycle = { id: created.body.id, label: created.body.label };
    await t.db.query(`DELETE FROM reminder_mails WHERE kind = 'notice'`);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  /** Makes the overdue slot `offset` business days after the deadline due at `at`, the deadline `offset` business days ago. */
  async function overdueAt(offset: number, at: Date): Promise<string> {
    const [[row]] = await t.db.query(
      `UPDATE reminder_slots SET send_at = $3, deadline = $4 WHERE cycle_id = $1 AND audience = 'submit' AND kind = 'overdue'
          AND business_days_from_deadline = $2 RETURNING id`,
      [cycle.id, offset, at, addBusinessDays(tokyoToday(), -offset)],
    );
    expect(row).toBeDefined();
    return slotKey(at);
  }
  const rowsOf = (key: string) =>
    t.db.query(
      `SELECT u.login, m.kind, m.status, m.bundle_id IS NOT NULL AS bundled FROM reminder_mails m JOIN users u ON u.id = m.recipient_user_id
        WHERE m.slot_key = $1 ORDER BY u.login`,
      [key],
    );
  async function settled() {
    for (let i = 0; i < 150; i++) {
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM reminder_mails WHERE status IN ('pending','enqueued','sending') AND send_at <= now()`);
      if (n === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('mails not settled');
  }

  it('eight overdue members in two sections: the head gets one mail listing their overdue entries', async () => {
    const key = await overdueAt(2, pastHour(2));
    await sink.waitFor(() => sink.messages.filter((m) => m.subject.startsWith('【督促】')).length >= 10, 20_000);
    await settled();
    const rows = await rowsOf(key);
    expect(rows).toHaveLength(10); // 8 of section A, chief-b, the head
    expect(rows.every((r: { status: string }) => r.status === 'sent')).toBe(true);
    const toHead = sink.to('eval-d1@example.jp');
    expect(toHead).toHaveLength(1);
    expect(toHead[0].subject).toBe(`【督促】${cycle.label}：エントリーの提出の期限を過ぎています（3件）（評価サイクル）`);
    expect(toHead[0].cc).toEqual([]);
    expect(toHead[0].text).toContain('所属部の課で期限を過ぎているエントリーです');
    expect(toHead[0].text).toContain('No.1 18歳までの医療費完全無料化（こども支援課／未着手）');
    expect(toHead[0].text).toContain('No.1 18歳までの医療費完全無料化（保育幼稚園課／未着手）');
    expect(toHead[0].text).toContain('No.2 小・中学校の給食費無料化（こども支援課／未着手）');
    expect(toHead[0].text).toContain('期限を2営業日過ぎています');
    // No member's mail carries the head as a copy.
    expect(sink.messages.filter((m) => m.cc.length > 0 || m.envelope.to.includes('eval-d1@example.jp')).map((m) => m.to[0])).toEqual(['eval-d1@example.jp']);
  }, 60_000);

  it('a head who chose the daily mail gets the escalation in that mail, not on its own', async () => {
    const headToken = (await t.http().post('/api/auth/login').send({ login: 'eval-d1', password: 'password' }).expect(200)).body.accessToken;
    await t.http().put('/api/notifications/settings').set(bearer(headToken)).send({ mode: 'daily' }).expect(200, { mode: 'daily' });
    const before = sink.to('eval-d1@example.jp').length;
    const at = await dueSinceLastSendHour(t.config.REMINDER_HOUR);
    const key = await overdueAt(4, at);
    await sink.waitFor(() => sink.messages.filter((m) => m.subject.startsWith('【督促】')).length >= 19, 20_000);
    await settled();
    const rows = await rowsOf(key);
    // The members get theirs at once, each one mail; the head's waits in their daily mail for its send time.
    expect(rows.filter((r: { login: string; status: string }) => r.login !== 'eval-d1' && r.status === 'sent')).toHaveLength(9);
    expect(rows.find((r: { login: string }) => r.login === 'eval-d1')).toEqual({ login: 'eval-d1', kind: 'digest', status: 'bundled', bundled: true });
    const dailyKey = `daily-${slotKey(nextSendTime(new Date(at.getTime() - 1), t.config.REMINDER_HOUR))}`;
    const [daily] = await t.db.query(`SELECT status FROM reminder_mails WHERE kind = 'daily' AND slot_key = $1`, [dailyKey]);
    expect(daily).toEqual({ status: 'pending' });
    expect(sink.to('eval-d1@example.jp')).toHaveLength(before);
    // Its send time comes.
    await t.db.query(`UPDATE reminder_mails SET send_at = now() WHERE kind = 'daily' AND slot_key = $1`, [dailyKey]);
    await sink.waitFor(() => sink.to('eval-d1@example.jp').length > before, 20_000);
    await settled();
    const received = sink.to('eval-d1@example.jp').slice(before);
    expect(received).toHaveLength(1);
    expect(received[0].subject).toMatch(/^【まとめ】令和\d+年\d+月\d+日\(.\)の評価サイクルのお知らせ（1件）$/);
    expect(received[0].text).toContain(`【督促】${cycle.label}：エントリーの提出の期限を過ぎています（3件）（評価サイクル）`);
    expect(received[0].text).toContain('所属部の課で期限を過ぎているエントリーです');
    expect(received[0].text).toContain('期限を4営業日過ぎています');
  }, 60_000);
});
