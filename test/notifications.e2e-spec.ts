import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { nextSendTime } from '@app/domain';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { dueSinceLastSendHour } from './utils/reminder-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Each user's choice of how notices reach them, by real mail: 「1日1回まとめて」 gathers the
 * day's notices, returns and reminders into ONE mail at the send hour; everyone else is
 * unchanged. The in-app notifications are the same outbox rows, per recipient, with read marks.
 */
describe('notification settings (daily digest) and in-app notifications', () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext;
  const sink = new SmtpSink();
  let cycleId: number;
  let cycleLabel: string;
  let returnedId: number;

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({ SMTP_PORT: String(sink.port), PUBLIC_URL: 'https://hyoka.example.jp', REMINDER_RELAY_EVERY_SECONDS: '1' });
    f = await createCycleFixture(t);
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  const toStaff = () => sink.messages.filter((m) => m.to.includes('staff-a@example.jp'));
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('stores the choice per user (audited) and refuses anything else in Japanese naming the field', async () => {
    expect((await t.http().get('/api/notifications/settings').set(bearer(f.users.staffA.token)).expect(200)).body).toEqual({ mode: 'immediate' });
    const bad = await t.http().put('/api/notifications/settings').set(bearer(f.users.staffA.token)).send({ mode: 'weekly' }).expect(400);
    expect(bad.body.message).toContain('通知の受け取り方(mode)');
    expect(bad.body.field).toBe('mode');
    await t.http().put('/api/notifications/settings').set(bearer(f.users.staffA.token)).send({ mode: 'daily' }).expect(200, { mode: 'daily' });
    expect((await t.http().get('/api/notifications/settings').set(bearer(f.users.staffA.token)).expect(200)).body).toEqual({ mode: 'daily' });
    expect((await t.http().get('/api/notifications/settings').set(bearer(f.users.chiefA.token)).expect(200)).body).toEqual({ mode: 'immediate' });
    const audit = await t.db.query(`SELECT actor_user_id, before, after FROM audit_log WHERE action = 'user.notification_settings'`);
    expect(audit).toEqual([{ actor_user_id: f.users.staffA.id, before: { mode: 'immediate' }, after: { mode: 'daily' } }]);
  });

  it("a daily user's 依頼, 差戻し and reminder of the day come as ONE mail at the send hour; an at-once user gets each at once", async () => {
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code: 'nf', name: '市長公約 半期', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId: tpl.body.id, periodKey: '2026-H2' }).expect(201);
    cycleId = cycle.body.id;
    cycleLabel = cycle.body.label;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    // chief-a (at once) has the 依頼 now.
    await sink.waitFor(() => sink.messages.some((m) => m.to.includes('chief-a@example.jp') && m.subject.startsWith('【依頼】')), 15_000);

    // A return, to everyone who can edit: chief-a at once, staff-a in the daily mail.
    const [e] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycleId,
      f.items[0],
      f.sections.a,
    ]);
    returnedId = e.id;
    const submitted = await t
      .http()
      .post(`/api/entries/${e.id}/submit`)
      .set(bearer(f.users.staffA.token))
      .send({ version: e.version, rating: '○', progress: '予定どおり' })
      .expect(200);
    await t
      .http()
      .post(`/api/entries/${e.id}/return`)
      .set(bearer(f.users.chiefA.token))
      .send({ version: submitted.body.version, comment: '実績を記載してください', fieldComments: { progress: '件数を追記してください' } })
      .expect(200);
    await sink.waitFor(() => sink.messages.some((m) => m.to.includes('chief-a@example.jp') && m.subject.startsWith('【差戻し】')), 15_000);
    // A reminder slot of the cycle falls due: its digest for staff-a joins the same daily mail.
    await t.db.query(
      `UPDATE reminder_slots SET send_at = $2 WHERE id = (SELECT id FROM reminder_slots WHERE cycle_id = $1 AND audience = 'submit' ORDER BY send_at LIMIT 1)`,
      [cycleId, await dueSinceLastSendHour(t.config.REMINDER_HOUR)],
    );
    await pause(4000);
    expect(toStaff()).toEqual([]);

    const rows: { kind: string; status: string; bundleId: string | null }[] = await t.db.query(
      `SELECT kind, status, bundle_id AS "bundleId" FROM reminder_mails WHERE recipient_user_id = $1 ORDER BY id`,
      [f.users.staffA.id],
    );
    const daily = await t.db.query(`SELECT id, slot_key, send_at, status FROM reminder_mails WHERE recipient_user_id = $1 AND kind = 'daily'`, [
      f.users.staffA.id,
    ]);
    expect(daily).toHaveLength(1);
    expect(new Date(daily[0].send_at).toISOString()).toBe(nextSendTime(new Date(), t.config.REMINDER_HOUR).toISOString());
    expect(rows.filter((r) => r.kind !== 'daily').map((r) => `${r.kind}:${r.status}:${r.bundleId === daily[0].id}`)).toEqual([
      'notice:bundled:true',
      'returned:bundled:true',
      'digest:bundled:true',
    ]);

    // The send hour comes.
    await t.db.query(`UPDATE reminder_mails SET send_at = now() WHERE id = $1`, [daily[0].id]);
    await sink.waitFor(() => toStaff().length >= 1, 15_000);
    await pause(2000);
    expect(toStaff()).toHaveLength(1);
    const [mail] = toStaff();
    expect(mail.subject).toMatch(/^【まとめ】令和\d+年\d+月\d+日\(.\)の評価サイクルのお知らせ（3件）$/);
    expect(mail.text).toContain('staff-a 様');
    expect(mail.text).toContain(`■ 【依頼】${cycleLabel}のエントリーの入力をお願いします（2件`);
    expect(mail.text).toContain(`■ 【差戻し】${cycleLabel} No.1 18歳までの医療費完全無料化`);
    expect(mail.text).toContain('件数を追記してください');
    expect(mail.text).toContain(`■ 【期限のお知らせ】${cycleLabel}：エントリーの提出の期限は`);
    expect(mail.text).toContain(`https://hyoka.example.jp/#/entries/${e.id}`);
    expect(mail.text).toContain('https://hyoka.example.jp/#/notifications');
    // One salutation and one footer, not one per part.
    expect(mail.text.match(/様\n/g)).toHaveLength(1);
    expect(mail.text.match(/お問い合わせ: /g)).toHaveLength(1);
    expect(mail.html.match(/<!DOCTYPE html>/g)).toHaveLength(1);
    expect(mail.html).toContain('件数を追記してください');
    expect(mail.html).toContain('お問い合わせ: 企画担当');
    expect(mail.html).not.toMatch(/<img|<link|<script|src=|url\(/i);
    const parts = await t.db.query(`SELECT subject, sent_at FROM reminder_mails WHERE bundle_id = $1`, [daily[0].id]);
    for (const p of parts) expect([typeof p.subject, p.sent_at !== null]).toEqual(['string', true]);
  }, 90_000);

  it('lists my notifications (the same rows) newest first, linking to the entry, with an unread count and read marks', async () => {
    const list = await t.http().get('/api/notifications').set(bearer(f.users.staffA.token)).expect(200);
    expect(list.body.unread).toBe(3);
    const returned = list.body.items.find((i: { kind: string }) => i.kind === 'returned');
    expect(returned).toMatchObject({ read: false, path: `/entries/${returnedId}` });
    expect(returned.title).toContain(`【差戻し】${cycleLabel} No.1`);
    expect(list.body.items.find((i: { kind: string }) => i.kind === 'notice')).toMatchObject({ path: '/mine' });
    expect((await t.http().post(`/api/notifications/${returned.id}/read`).set(bearer(f.users.staffA.token)).expect(200)).body).toEqual({ unread: 2 });
    // Nobody else's.
    await t.http().post(`/api/notifications/${returned.id}/read`).set(bearer(f.users.chiefA.token)).expect(404);
    expect((await t.http().get('/api/notifications/unread-count').set(bearer(f.users.staffA.token)).expect(200)).body).toEqual({ unread: 2 });
    const chief = await t.http().get('/api/notifications').set(bearer(f.users.chiefA.token)).expect(200);
    expect(chief.body.items.map((i: { kind: string }) => i.kind).sort()).toEqual(expect.arrayContaining(['notice', 'returned']));
    expect((await t.http().post('/api/notifications/read-all').set(bearer(f.users.staffA.token)).expect(200)).body).toEqual({ unread: 0 });
  });
});
