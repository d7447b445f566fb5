import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { nextSendTime } from '@app/domain';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { bearer } from './utils/factories';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';

/**
 * A cycle opened late, by real mail: its 依頼 waits for the next send hour instead of going out
 * at night or being dropped with the reminders it missed; a cycle for a past period plans no
 * "N日前" reminder and the open result and its audit row say so.
 */
describe('notices: a cycle opened late', () => {
  let t: TestApp;
  let f: CycleFixture;
  let worker: INestApplicationContext;
  const sink = new SmtpSink();

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

  it('a past period: no "N日前", said at opening (result and audit), and one 依頼 at the next send hour saying the deadline has passed', async () => {
    const tpl = await t
      .http()
      .post('/api/templates')
      .set(bearer(f.users.planning.token))
      .send({ code: 'late', name: '市長公約 半期', planId: f.planId, periodType: 'half_year', scaleCode: 'progress4' })
      .expect(201);
    const cycle = await t.http().post('/api/cycles').set(bearer(f.users.planning.token)).send({ templateId: tpl.body.id, periodKey: '2020-H1' }).expect(201);
    const opened = await t.http().post(`/api/cycles/${cycle.body.id}/actions`).set(bearer(f.users.planning.token)).send({ action: 'open' }).expect(200);
    const expectedAt = nextSendTime(new Date(), t.config.REMINDER_HOUR);

    expect(opened.body.notes).toHaveLength(1);
    expect(opened.body.notes[0]).toMatch(
      /^提出期限（令和2年\d+月\d+日\(.\)）を過ぎてからの開始のため、期限前のお知らせ（「N日前」）は送信しません。依頼は次の送信時刻（令和\d+年\d+月\d+日\(.\) 9時）に期限超過として送信します。$/,
    );
    const [audit] = await t.db.query(`SELECT after FROM audit_log WHERE action = 'cycle.open' AND subject_id = $1`, [String(cycle.body.id)]);
    expect(audit.after.notes).toEqual(opened.body.notes);

    const slots = await t.db.query(`SELECT audience, kind FROM reminder_slots WHERE cycle_id = $1`, [cycle.body.id]);
    expect(slots.filter((s: { kind: string }) => s.kind === 'before')).toEqual([]);
    expect(slots.filter((s: { audience: string }) => s.audience === 'submit')).toEqual([]);

    const requests: { sendAt: Date; status: string }[] = await t.db.query(
      `SELECT send_at AS "sendAt", status FROM reminder_mails WHERE kind = 'notice' AND slot_key = $1`,
      [`cycle-${cycle.body.id}-request`],
    );
    expect(requests).toHaveLength(3); // chief-a, staff-a, chief-b
    for (const r of requests) expect([new Date(r.sendAt).toISOString(), r.status]).toEqual([expectedAt.toISOString(), 'pending']);
    // Not before its hour: the relay runs every second and leaves it.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(sink.messages.filter((m) => m.subject.startsWith('【依頼】'))).toEqual([]);

    // The send hour comes.
    await t.db.query(`UPDATE reminder_mails SET send_at = now() WHERE slot_key = $1`, [`cycle-${cycle.body.id}-request`]);
    await sink.waitFor(() => sink.messages.filter((m) => m.subject.startsWith('【依頼】')).length >= 3, 15_000);
    const toStaff = sink.messages.filter((m) => m.subject.startsWith('【依頼】') && m.to.includes('staff-a@example.jp'));
    expect(toStaff).toHaveLength(1);
    expect(toStaff[0].subject).toMatch(/^【依頼】市長公約 半期 .+のエントリーの入力をお願いします（2件・期限 令和2年\d+月\d+日\(.\) 経過）（評価サイクル）$/);
    expect(toStaff[0].text).toMatch(/提出期限の令和2年\d+月\d+日\(.\)を過ぎてからの開始です（期限を\d+営業日過ぎています）/);
    expect(toStaff[0].text).toContain('No.2: 小・中学校の給食費無料化（未着手）');
  }, 60_000);
});
