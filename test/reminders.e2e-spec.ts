import { INestApplicationContext } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { NestFactory } from '@nestjs/core';
import { japaneseDate, ReminderRelayService } from '@app/reminders';
import { addBusinessDays, slotKey, tokyoToday } from '@app/domain';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

/** Reminder content: digests across cycles, escalation, returned notices, cancellation, API. */
describe('reminders: digests, escalation, notices, API', () => {
  let t: TestApp;
  let f: CycleFixture;
  const sink = new SmtpSink();
  let worker: INestApplicationContext | null = null;
  const cycles: { id: number; label: string; submissionDeadline: string }[] = [];
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const PUBLIC_URL = 'https://hyoka.example.jp';

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      SMTP_PORT: String(sink.port),
      PUBLIC_URL,
      REMINDER_RELAY_EVERY_SECONDS: '1',
      REMINDER_SWEEP_EVERY_SECONDS: '2',
      REMINDER_RETRY_DELAY_MS: '200',
    });
    f = await createCycleFixture(t);
    const schedule = { beforeBusinessDays: [7, 3], onDeadline: true, overdueEveryBusinessDays: 2, overdueMaxCount: 5 };
    for (const [code, periodType] of [
      ['rem-m', 'monthly'],
      ['rem-h', 'half_year'],
    ] as const) {
      const tpl = await t
        .http()
        .post('/api/templates')
        .set(auth(f.users.planning.token))
        .send({
          code,
          name: `市長公約 ${code}`,
          planId: f.planId,
          periodType,
          scaleCode: 'progress4',
          submissionOffsetDays: 40,
          reviewOffsetDays: 60,
          reminderSchedule: schedule,
        })
        .expect(201);
      const cycle = await t.http().post('/api/cycles').set(auth(f.users.planning.token)).send({ templateId: tpl.body.id, date: tokyoToday() }).expect(201);
      await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(auth(f.users.planning.token)).send({ action: 'open' }).expect(200);
      cycles.push({ id: cycle.body.id, label: cycle.body.label, submissionDeadline: cycle.body.submissionDeadline });
    }
    // This suite is about digests; the notices of opening and review have test/notices.e2e-spec.ts.
    await t.db.query(`DELETE FROM reminder_mails WHERE kind = 'notice'`);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  const pastHour = (hoursAgo: number) => new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - hoursAgo * 3600_000);
  /** Makes one planned slot due: moves it to `at` (tests only; production waits for the clock). */
  async function makeDue(cycleId: number, kind: string, offset: number, at: Date) {
    // The slot falls due now, so its deadline is `offset` business days from today (the mail
    // counts the days on the day it is sent).
    const [[row]] = await t.db.query(
      `UPDATE reminder_slots SET send_at = $4, deadline = $5 WHERE cycle_id = $1 AND audience = 'submit' AND kind = $2
          AND business_days_from_deadline = $3 RETURNING id`,
      [cycleId, kind, offset, at, addBusinessDays(tokyoToday(), -offset)],
    );
    expect(row).toBeDefined();
  }
  const entryIds = async (cycleId: number, sectionId: number) =>
    (await t.db.query(`SELECT id FROM entries WHERE cycle_id = $1 AND section_id = $2 ORDER BY id`, [cycleId, sectionId])).map((r: { id: number }) => r.id);
  const mailsOf = (key: string) =>
    t.db.query(
      `SELECT m.id, u.login, m.status, m.entry_ids, m.cc_user_ids, m.message_id FROM reminder_mails m
         JOIN users u ON u.id = m.recipient_user_id WHERE m.slot_key = $1 ORDER BY u.login`,
      [key],
    );
  async function settled(key: string) {
    for (let i = 0; i < 150; i++) {
      const open = await t.db.query(`SELECT count(*)::int AS n FROM reminder_mails WHERE slot_key = $1 AND status IN ('pending','enqueued','sending')`, [key]);
      if (open[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`mails of ${key} not settled`);
  }

  it('plans both deadlines of each cycle in the open transaction, at 09:00 Tokyo on business days', async () => {
    for (const c of cycles) {
      const slots = await t.db.query(`SELECT audience, kind, send_at, status FROM reminder_slots WHERE cycle_id = $1 ORDER BY send_at`, [c.id]);
      // 2 before + on deadline + 5 overdue, for submission and for review.
      expect(slots).toHaveLength(16);
      expect(slots.every((s: { status: string }) => s.status === 'pending')).toBe(true);
      expect(slots.every((s: { send_at: Date }) => slotKey(s.send_at).endsWith('T09'))).toBe(true);
      const onDeadline = slots.find((s: { audience: string; kind: string }) => s.audience === 'submit' && s.kind === 'on_deadline');
      expect(slotKey(onDeadline.send_at)).toBe(`${c.submissionDeadline}T09`);
    }
  });

  it('sends one digest per person listing every pending entry of both cycles, and cancels one whose entries moved on', async () => {
    const at = pastHour(3);
    for (const c of cycles) await makeDue(c.id, 'before', -7, at);
    const relay = await t.app.get(ReminderRelayService).relay();
    expect(relay).toMatchObject({ slots: 2, enqueued: 3 });
    const key = slotKey(at);
    expect((await mailsOf(key)).map((m: { login: string; status: string }) => `${m.login}:${m.status}`)).toEqual([
      'chief-a:enqueued',
      'chief-b:enqueued',
      'staff-a:enqueued',
    ]);
    // Section B submits its entries after the relay queued the mail but before it is sent.
    for (const c of cycles) {
      for (const id of await entryIds(c.id, f.sections.b)) {
        await t
          .http()
          .post(`/api/entries/${id}/submit`)
          .set(auth(f.users.chiefB.token))
          .send({ version: 1, rating: '○', progress: '予定どおり進捗' })
          .expect(200);
      }
    }
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    await settled(key);

    const rows = await mailsOf(key);
    expect(rows.map((m: { login: string; status: string }) => `${m.login}:${m.status}`)).toEqual(['chief-a:sent', 'chief-b:cancelled', 'staff-a:sent']);
    expect(sink.to('chief-b@example.jp')).toHaveLength(0);
    const sectionA = [...(await entryIds(cycles[0].id, f.sections.a)), ...(await entryIds(cycles[1].id, f.sections.a))];
    for (const login of ['chief-a', 'staff-a']) {
      const received = sink.to(`${login}@example.jp`);
      expect(received).toHaveLength(1);
      const mail = received[0];
      const row = rows.find((r: { login: string }) => r.login === login);
      expect(mail.messageId).toBe(`<reminder-${row.id}@hyoka>`);
      expect(row.message_id).toBe(mail.messageId);
      expect([...row.entry_ids].sort()).toEqual([...sectionA].sort());
      // The first cycle of the digest by name, the other counted; the action; the deadline; how many.
      expect(mail.subject).toBe(
        `【期限のお知らせ】${cycles[0].label} ほか1サイクル：エントリーの提出の期限は${japaneseDate(addBusinessDays(tokyoToday(), 7))}です（4件）（評価サイクル）`,
      );
      expect(mail.cc).toEqual([]);
      expect(mail.text).toContain(`${login} 様`);
      for (const c of cycles) {
        expect(mail.text).toContain(c.label);
        expect(mail.text).toContain(`期限: ${japaneseDate(addBusinessDays(tokyoToday(), 7))} … 期限まであと7営業日です`);
      }
      expect(mail.text).toMatch(/期限: 令和\d+年\d+月\d+日\([日月火水木金土]\)/);
      for (const id of sectionA) {
        expect(mail.text).toContain(`${PUBLIC_URL}/#/entries/${id}`);
        expect(mail.html).toContain(`href="${PUBLIC_URL}/#/entries/${id}"`);
      }
      expect(mail.text).toContain('No.1 18歳までの医療費完全無料化（こども支援課／未着手）');
      expect(mail.html).toContain('小・中学校の給食費無料化');
      expect(mail.raw).toMatch(/charset=utf-8/i);
      // Both parts, the planning division to ask (PLANNING_CONTACT_NAME's default), nothing fetched.
      expect(mail.text).toContain('お問い合わせ: 企画担当');
      expect(mail.html).toContain('お問い合わせ: 企画担当');
      expect(mail.html).not.toMatch(/<img|<link|<script|src=|url\(/i);
    }
  });

  it('tells the department head after the deadline in their own digest (escalation), and says it is overdue', async () => {
    const at = pastHour(2);
    await makeDue(cycles[0].id, 'overdue', 2, at);
    const key = slotKey(at);
    await sink.waitFor(() => sink.messages.filter((m) => m.subject.startsWith('【督促】')).length === 3);
    await settled(key);
    const rows = await mailsOf(key);
    // One mail per person and hour, whatever the role: the head's is their own digest, not a Cc on each member's.
    expect(rows.map((m: { login: string; status: string }) => `${m.login}:${m.status}`)).toEqual(['chief-a:sent', 'eval-d1:sent', 'staff-a:sent']);
    expect(rows.every((r: { cc_user_ids: number[] }) => r.cc_user_ids.length === 0)).toBe(true);
    const mail = sink.to('chief-a@example.jp').find((m) => m.subject.startsWith('【督促】'))!;
    expect(mail.subject).toBe(`【督促】${cycles[0].label}：エントリーの提出の期限を過ぎています（2件）（評価サイクル）`);
    expect(mail.cc).toEqual([]);
    expect(mail.text).toContain('期限を2営業日過ぎています');
    expect(mail.text).toContain('所属部長にもお知らせしています');
    const toStaff = sink.to('staff-a@example.jp').find((m) => m.subject.startsWith('【督促】'))!;
    expect(toStaff.cc).toEqual([]);
    expect(toStaff.text).not.toContain('所属部長にもお知らせしています');
    const toHead = sink.to('eval-d1@example.jp').filter((m) => m.subject.startsWith('【督促】'));
    expect(toHead).toHaveLength(1);
    expect(toHead[0].subject).toBe(`【督促】${cycles[0].label}：エントリーの提出の期限を過ぎています（2件）（評価サイクル）`);
    expect(toHead[0].text).toContain('所属部の課で期限を過ぎているエントリーです');
    expect(toHead[0].text).toContain('No.1 18歳までの医療費完全無料化（こども支援課／未着手）');
    expect(toHead[0].text).toContain('期限を2営業日過ぎています');
  });

  it('tells the author of a returned entry, with the approver comment, once', async () => {
    const [entryId] = await entryIds(cycles[0].id, f.sections.a);
    const submitted = await t
      .http()
      .post(`/api/entries/${entryId}/submit`)
      .set(auth(f.users.staffA.token))
      .send({ version: 1, rating: '○', progress: '準備を進めた' })
      .expect(200);
    const comment = '実績の数値（受給者数）を記載してください。\n令和6年度の目標との比較もお願いします。';
    const returned = await t.http().post(`/api/entries/${entryId}/return`).set(auth(f.users.chiefA.token)).send({ version: submitted.body.version, comment });
    expect(returned.status).toBe(200);
    // The chief of the section hears of it too (everyone who can edit it); here, the author's mail.
    const [row] = await t.db.query(`SELECT id, status, recipient_user_id, slot_key FROM reminder_mails WHERE kind = 'returned' AND recipient_user_id = $1`, [
      f.users.staffA.id,
    ]);
    expect(row).toMatchObject({ recipient_user_id: f.users.staffA.id, slot_key: `entry-${entryId}-v${returned.body.version}` });
    await sink.waitFor(() => sink.messages.some((m) => m.messageId === `<reminder-${row.id}@hyoka>`));
    const mail = sink.messages.find((m) => m.messageId === `<reminder-${row.id}@hyoka>`)!;
    expect(mail.to).toEqual(['staff-a@example.jp']);
    expect(mail.subject).toMatch(
      new RegExp(`^【差戻し】${cycles[0].label} No\\.1 18歳までの医療費完全無料化（再提出の期限 令和\\d+年\\d+月\\d+日\\(.\\)）（評価サイクル）$`),
    );
    expect(mail.text).toContain(comment);
    expect(mail.text).toContain('差戻し: chief-a');
    expect(mail.text).toContain(`${PUBLIC_URL}/#/entries/${entryId}`);
    expect(mail.html).toContain('受給者数');
  });

  it("shows my upcoming reminders, a cycle's mails with counts for planning only, and resends a cancelled one (audited)", async () => {
    const mine = await t.http().get('/api/reminders/mine').set(auth(f.users.staffA.token)).expect(200);
    expect(mine.body.upcoming.length).toBeGreaterThan(0);
    const next = mine.body.upcoming[0];
    expect(new Date(next.sendAt).getTime()).toBeGreaterThan(Date.now());
    expect(next.groups[0].entries[0].url).toMatch(new RegExp(`^${PUBLIC_URL}/#/entries/\\d+$`));
    expect(mine.body.recent.map((m: { status: string }) => m.status)).toContain('sent');

    await t.http().get(`/api/cycles/${cycles[0].id}/reminders`).set(auth(f.users.staffA.token)).expect(403);
    await t.http().get(`/api/cycles/999999/reminders`).set(auth(f.users.planning.token)).expect(404);
    // The 承認依頼 of the submission above waits for its batch window; this test counts the rest.
    await t.db.query(`DELETE FROM reminder_mails WHERE kind = 'notice' AND status = 'pending'`);
    const view = await t.http().get(`/api/cycles/${cycles[0].id}/reminders`).set(auth(f.users.planning.token)).expect(200);
    expect(view.body.counts).toMatchObject({ sent: 7, cancelled: 1, failed: 0, pending: 0 }); // 2 digests + 3 overdue (chief, staff, head) + 2 return notices (author, chief)
    expect(view.body.failures).toEqual([]);

    const cancelled = view.body.mails.find((m: { status: string }) => m.status === 'cancelled');
    await t.http().post(`/api/reminders/${cancelled.id}/resend`).set(auth(f.users.staffA.token)).expect(403);
    const resent = await t.http().post(`/api/reminders/${cancelled.id}/resend`).set(auth(f.users.planning.token)).expect(201);
    expect(resent.body).toMatchObject({ status: 'pending', slotKey: `${cancelled.slotKey}~r1`, resentFromId: cancelled.id });
    // Two clicks at once (or two administrators) queue one mail: the second gets the first's copy.
    const twice = await Promise.all([1, 2].map(() => t.http().post(`/api/reminders/${cancelled.id}/resend`).set(auth(f.users.planning.token)).expect(201)));
    expect(twice[0].body.id).toBe(twice[1].body.id);
    const copies = await t.db.query(`SELECT id FROM reminder_mails WHERE resent_from_id = $1 AND status IN ('pending', 'enqueued', 'sending')`, [cancelled.id]);
    expect(copies.length).toBeLessThanOrEqual(1);
    const again = await t.http().post(`/api/reminders/${resent.body.id}/resend`).set(auth(f.users.planning.token));
    expect([201, 409]).toContain(again.status); // 409 while the copy is still pending; it may already be done
    const audit = await t.db.query(`SELECT actor_user_id, subject_id FROM audit_log WHERE action = 'reminder.resend' ORDER BY id`);
    expect(audit[0]).toEqual({ actor_user_id: f.users.planning.id, subject_id: resent.body.id });
  });

  it('filters the send log by recipient and kind, and downloads it as CSV (UTF-8 with BOM)', async () => {
    const url = `/api/cycles/${cycles[0].id}/reminders`;
    const planning = auth(f.users.planning.token);
    const all = await t.http().get(url).set(planning).expect(200);
    expect(all.body.recipients.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['chief-a', 'eval-d1', 'staff-a']));
    const toStaff = await t.http().get(url).query({ recipientUserId: f.users.staffA.id }).set(planning).expect(200);
    expect(toStaff.body.mails.length).toBeGreaterThan(0);
    expect(toStaff.body.mails.every((m: { recipientUserId: number }) => m.recipientUserId === f.users.staffA.id)).toBe(true);
    expect(toStaff.body.recipients).toEqual(all.body.recipients);
    const returned = await t.http().get(url).query({ recipientUserId: f.users.staffA.id, kind: 'returned' }).set(planning).expect(200);
    expect(returned.body.mails.map((m: { kind: string; recipientName: string }) => `${m.kind}:${m.recipientName}`)).toEqual(['returned:staff-a']);
    expect(returned.body.counts).toMatchObject({ sent: 1 });
    const bad = await t.http().get(url).query({ kind: 'fax', recipientUserId: 'x' }).set(planning).expect(400);
    expect(JSON.stringify(bad.body)).toContain('種類(kind)は');
    expect(JSON.stringify(bad.body)).toContain('宛先(recipientUserId)は');
    await t.http().get(`${url}.csv`).set(auth(f.users.staffA.token)).expect(403);
    await t.http().get(`/api/cycles/999999/reminders.csv`).set(planning).expect(404);

    const csv = await t
      .http()
      .get(`${url}.csv`)
      .query({ recipientUserId: f.users.staffA.id })
      .set(planning)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`送信記録_${cycles[0].label}.csv`)}`);
    const body = (csv.body as Buffer).toString('utf8');
    expect(body.startsWith('\uFEFF')).toBe(true);
    const rows: string[][] = parse(body.slice(1), { relaxColumnCount: false });
    expect(rows[0]).toEqual([
      'ID',
      '送信日時',
      '送信日時(ISO 8601)',
      '送信予定日時',
      '宛先',
      'ログインID',
      '種類',
      '件名',
      '状態',
      '試行回数',
      'エラー',
      '再送元ID',
    ]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(toStaff.body.mails.map((m: { id: string }) => m.id));
    const sentReturn = rows.find((r) => r[6] === '差戻し通知')!;
    expect(sentReturn[1]).toMatch(/^令和\d+年\d+月\d+日\(.\) \d\d:\d\d$/);
    expect(sentReturn[2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    expect(sentReturn.slice(4, 9)).toEqual(['staff-a', 'staff-a', '差戻し通知', returned.body.mails[0].subject, '送信済み']);
    expect(rows.some((r) => r[6] === '督促・期限のお知らせ' && r[7].startsWith('【督促】'))).toBe(true);
    expect(body).toContain('\r\n');
  });
});
