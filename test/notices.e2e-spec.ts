import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { ReceivedMail, SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * Notices at the moment things happen, by real mail through the outbox: 依頼 when a cycle opens,
 * 承認依頼 to whoever holds the next step (one mail for many entries), 差戻し to everyone who can
 * edit the entry with each field's comment and the date to resubmit by, 締切 to the sections.
 */
describe('notices: request at opening, review request, return to every editor, closing', () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext;
  const sink = new SmtpSink();
  let cycleId: number;
  let cycleLabel: string;

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      SMTP_PORT: String(sink.port),
      PUBLIC_URL: 'https://hyoka.example.jp',
      REMINDER_RELAY_EVERY_SECONDS: '1',
      NOTICE_BATCH_SECONDS: '2',
      PLANNING_CONTACT_NAME: '経営企画課 行政評価係',
      PLANNING_CONTACT_PHONE: '0120-000-000（内線1234）',
      PLANNING_CONTACT_EMAIL: 'hyoka@city.example.jp',
    });
    f = await createCycleFixture(t);
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code: 'nt', name: '市長公約 半期', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId: tpl.body.id, periodKey: '2026-H2' }).expect(201);
    cycleId = cycle.body.id;
    cycleLabel = cycle.body.label;
    await t.http().post(`/api/cycles/${cycleId}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  const to = (login: string, subject: string) => (m: ReceivedMail) => m.to.includes(`${login}@example.jp`) && m.subject.includes(subject);
  async function mails(login: string, subject: string, count = 1): Promise<ReceivedMail[]> {
    await sink.waitFor(() => sink.messages.filter(to(login, subject)).length >= count, 15_000);
    return sink.messages.filter(to(login, subject));
  }
  /**
   * What every mail has: a subject naming the cycle, both parts, the planning division to ask,
   * and an HTML part that fetches nothing (no image, stylesheet, script or frame).
   */
  function expectWellFormed(mail: ReceivedMail) {
    expect(mail.subject).toContain(cycleLabel);
    expect(mail.text).toContain('お問い合わせ: 経営企画課 行政評価係　電話 0120-000-000（内線1234）　メール hyoka@city.example.jp');
    expect(mail.html).toContain(
      'お問い合わせ: 経営企画課 行政評価係　電話 0120-000-000（内線1234）　メール <a href="mailto:hyoka@city.example.jp">hyoka@city.example.jp</a>',
    );
    expect(mail.html).toMatch(/^<!DOCTYPE html>/);
    expect(mail.html).not.toMatch(/<img|<link|<script|<iframe|src=|url\(|@import/i);
    expect(mail.raw).toMatch(/multipart\/alternative/i);
  }
  const entryOf = async (item: number, section: number) =>
    (await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycleId, item, section]))[0];

  it('opening sends each writer of a section with entries one 依頼 listing them with the deadline, and nobody else', async () => {
    const [toStaff] = await mails('staff-a', '【依頼】');
    expect(toStaff.subject).toMatch(
      new RegExp(`^【依頼】${cycleLabel}のエントリーの入力をお願いします（2件・期限 令和\\d+年\\d+月\\d+日\\(.\\)）（評価サイクル）$`),
    );
    expect(toStaff.text).toContain('こども支援課のエントリーは次の2件です');
    expect(toStaff.text).toContain('No.1: 18歳までの医療費完全無料化（未着手）');
    expect(toStaff.text).toContain('No.2: 小・中学校の給食費無料化（未着手）');
    expect(toStaff.text).toContain('https://hyoka.example.jp/#/mine');
    // Each entry listed links to it.
    const [first] = await t.db.query(`SELECT id FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [cycleId, f.items[0], f.sections.a]);
    expect(toStaff.text).toContain(`No.1: 18歳までの医療費完全無料化（未着手）\n    https://hyoka.example.jp/#/entries/${first.id}`);
    expect(toStaff.html).toContain(`<a href="https://hyoka.example.jp/#/entries/${first.id}">18歳までの医療費完全無料化（未着手）</a>`);
    expectWellFormed(toStaff);
    await mails('chief-a', '【依頼】');
    const [toB] = await mails('chief-b', '【依頼】');
    expect(toB.text).toContain('保育幼稚園課のエントリーは次の1件です');
    // Nobody without entries to write: not the evaluator, not planning (section C has no writers but planning, who is not staff).
    expect(
      sink.messages
        .filter((m) => m.subject.startsWith('【依頼】'))
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['chief-a@example.jp', 'chief-b@example.jp', 'staff-a@example.jp']);
  });

  it('a submission tells the section chief at once; two approvals tell the evaluator in one mail', async () => {
    const one = await entryOf(f.items[0], f.sections.a);
    const two = await entryOf(f.items[1], f.sections.a);
    const submitted = [];
    for (const e of [one, two]) {
      submitted.push(
        (
          await t
            .http()
            .post(`/api/entries/${e.id}/submit`)
            .set(bearer(f.users.staffA.token))
            .send({ version: e.version, rating: '○', progress: '予定どおり' })
            .expect(200)
        ).body,
      );
    }
    const [request] = await mails('chief-a', '【承認依頼】');
    expect(request.subject).toBe(`【承認依頼】${cycleLabel} 承認待ちのエントリーが2件あります（評価サイクル）`);
    expect(request.text).toContain('No.1: 18歳までの医療費完全無料化（こども支援課・所管課長）');
    expect(request.text).toContain('https://hyoka.example.jp/#/inbox');
    expect(request.text).toContain(`https://hyoka.example.jp/#/entries/${one.id}`);
    expectWellFormed(request);
    await t
      .http()
      .post('/api/approvals/bulk-approve')
      .set(bearer(f.users.chiefA.token))
      .send({ items: submitted.map((e) => ({ id: e.id, version: e.version })) })
      .expect(200);
    const toEvaluator = await mails('eval-d1', '【承認依頼】');
    expect(toEvaluator).toHaveLength(1);
    expect(toEvaluator[0].subject).toContain('承認待ちのエントリーが2件あります');
    expect(toEvaluator[0].text).toContain('（こども支援課・評価者）');
    // The author gets no approval request.
    expect(sink.messages.filter(to('staff-a', '【承認依頼】'))).toEqual([]);
  });

  it('a return tells everyone who can edit the entry, with each field comment and the date to resubmit by', async () => {
    const [e] = await t.db.query(`SELECT id, version FROM entries WHERE cycle_id = $1 AND item_id = $2 AND section_id = $3`, [
      cycleId,
      f.items[0],
      f.sections.a,
    ]);
    await t
      .http()
      .post(`/api/entries/${e.id}/return`)
      .set(bearer(f.users.evaluator.token))
      .send({ version: e.version, comment: '実績の数値を記載してください <b>至急</b>', fieldComments: { progress: '受給者数を追記してください' } })
      .expect(200);
    for (const login of ['staff-a', 'chief-a']) {
      const [mail] = await mails(login, '【差戻し】');
      expect(mail.text).toContain('実績の数値を記載してください');
      expect(mail.text).toContain('受給者数を追記してください');
      expect(mail.text).toMatch(/再提出の期限: 令和\d+年\d+月\d+日\(.\)/);
      expect(mail.subject).toMatch(
        new RegExp(`^【差戻し】${cycleLabel} No\\.1 18歳までの医療費完全無料化（再提出の期限 令和\\d+年\\d+月\\d+日\\(.\\)）（評価サイクル）$`),
      );
      expect(mail.text).toContain(`https://hyoka.example.jp/#/entries/${e.id}`);
      // What an approver typed is text in the HTML part, never markup.
      expect(mail.text).toContain('<b>至急</b>');
      expect(mail.html).toContain('実績の数値を記載してください &lt;b&gt;至急&lt;/b&gt;');
      expect(mail.html).not.toContain('<b>至急</b>');
      expectWellFormed(mail);
    }
    expect(sink.messages.filter(to('chief-b', '【差戻し】'))).toEqual([]);
  });

  it('planning sees in the send log who got the 依頼 and when it actually went, and resends one (a new row referencing it, audited)', async () => {
    const log = await t.http().get(`/api/cycles/${cycleId}/reminders`).set(bearer(f.users.planning.token)).expect(200);
    const requests = log.body.mails.filter((m: { slotKey: string }) => m.slotKey === `cycle-${cycleId}-request`);
    expect(requests.map((m: { recipientName: string }) => m.recipientName).sort()).toEqual(['chief-a', 'chief-b', 'staff-a']);
    for (const m of requests) expect([m.status, typeof m.sentAt, m.subject]).toEqual(['sent', 'string', expect.stringMatching(/^【依頼】/)]);
    const original = requests.find((m: { recipientName: string }) => m.recipientName === 'staff-a');
    const before = sink.messages.filter(to('staff-a', '【依頼】')).length;
    const copy = await t.http().post(`/api/reminders/${original.id}/resend`).set(bearer(f.users.planning.token)).expect(201);
    expect(copy.body).toMatchObject({ resentFromId: original.id, status: 'pending' });
    const again = await mails('staff-a', '【依頼】', before + 1);
    expect(again).toHaveLength(before + 1);
    expect(again[before].messageId).toBe(`<reminder-${copy.body.id}@hyoka>`);
    const [audit] = await t.db.query(`SELECT actor_user_id, before ->> 'id' AS original FROM audit_log WHERE action = 'reminder.resend' AND subject_id = $1`, [
      copy.body.id,
    ]);
    expect(audit).toEqual({ actor_user_id: f.users.planning.id, original: original.id });
    const after = await t.http().get(`/api/cycles/${cycleId}/reminders`).set(bearer(f.users.planning.token)).expect(200);
    const resent = after.body.mails.find((m: { id: string }) => m.id === copy.body.id);
    expect([resent.status, typeof resent.sentAt]).toEqual(['sent', 'string']);
  });

  it('a forced close tells each section what of theirs was left unsubmitted', async () => {
    await t
      .http()
      .post(`/api/cycles/${cycleId}/actions`)
      .set(bearer(f.users.planning.token))
      .send({ action: 'force_close', reason: '公表日程のため' })
      .expect(200);
    const [toB] = await mails('chief-b', '【締切】');
    expect(toB.subject).toBe(`【締切】${cycleLabel}を締め切りました（自課の未提出 1件）（評価サイクル）`);
    expect(toB.text).toContain('公表日程のため');
    expectWellFormed(toB);
    const [toA] = await mails('staff-a', '【締切】');
    expect(toA.text).toContain('自課の1件は提出されなかったため「未提出」として確定しました');
  });
});
