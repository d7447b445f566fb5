import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { runInTenant, TenantsService } from '@app/database';
import { ReminderRelayService } from '@app/reminders';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { build, tenant } from './utils/builder';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';

const A_MAILS = 2_000;
const B_MAILS = 10;
/**
 * The backlog already queued when the small municipality's mail falls due. Its first jobs are on
 * the wire (REMINDER_SEND_CONCURRENCY=10 jobs of MAILS_PER_JOB=25: up to 250 mails that nothing
 * overtakes), so a tenth of it must be more than that for the bound to say anything about the order.
 */
const A_QUEUED = 4_000;

/**
 * Fairness at the 09:00 peak (issue #20): with TENANCY=multi, one municipality's backlog does not
 * hold back another's 10 mails, whether both fall due at once (the relay takes the tenants in turns)
 * or the 10 fall due while the backlog is already queued (each tenant's send jobs are ranked in its
 * own queue). Every one of the small municipality's mails reaches the SMTP sink before a tenth of
 * the large one's has, and every mail arrives exactly once, its row sent in its own tenant.
 */
describe('reminders: one municipality’s backlog does not delay another’s mail', () => {
  let t: TestApp;
  let worker: INestApplicationContext | null = null;
  const sink = new SmtpSink();
  const A = 1;
  const B = 2;
  const ids = { [A]: [] as string[], [B]: [] as string[] };

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      TENANCY: 'multi',
      MUNICIPALITY_NAME: '入間市',
      MUNICIPALITY_CODE: '112259',
      MAIL_FROM: '入間市 評価サイクル <hyoka@city.iruma.example.jp>',
      SMTP_PORT: String(sink.port),
      REMINDER_RELAY_EVERY_SECONDS: '1',
    });
    const owner = await adminClient(t.config, t.config.DB_NAME);
    try {
      await tenant(owner, { id: B, code: '131016', name: '千代田区', mailFrom: '千代田区 評価 <hyoka@city.chiyoda.example.jp>' });
    } finally {
      await owner.end();
    }
    await t.app.get(TenantsService).readProfiles();
    for (const [id, count, prefix] of [
      [A, A_MAILS, 'iruma'],
      [B, B_MAILS, 'chiyoda'],
    ] as const) {
      await runInTenant(id, async () => {
        const b = build(t);
        const users = await b.users({ prefix: `${prefix}-`, count, roles: ['staff'], section: null });
        ids[id] = await b.noticeMails({ recipients: users, slotKey: 'fairness', subject: '【お知らせ】代理の設定', sendAt: new Date(Date.now() - 60_000) });
      });
    }
  }, 120_000);

  const fromB = (from: string) => from === 'hyoka@city.chiyoda.example.jp';
  /** How many of A's mails the sink had received when B's last one came, and how many of B's came. */
  const orderAtSink = () => {
    const order = sink.messages.map((m) => (fromB(m.envelope.from) ? 'B' : 'A'));
    return { b: order.filter((x) => x === 'B').length, aBeforeLastB: order.slice(0, order.lastIndexOf('B')).filter((x) => x === 'A').length };
  };
  /** One message per outbox row, none twice, none missing, each row sent in its own tenant. */
  const expectEachOnce = async (rows: Record<number, string[]>) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const expected = [...rows[A], ...rows[B]].map((id) => `<reminder-${id}@hyoka>`).sort();
    expect(sink.messages.map((m) => m.messageId).sort()).toEqual(expected);
    for (const m of sink.messages) expect(m.envelope.to[0]).toMatch(fromB(m.envelope.from) ? /^chiyoda-/ : /^iruma-/);
    for (const id of [A, B]) {
      const statuses = await runInTenant(id, () =>
        t.db.query(`SELECT status, count(*)::int AS n FROM reminder_mails WHERE id = ANY($1) GROUP BY status`, [rows[id]]),
      );
      expect(statuses).toEqual([{ status: 'sent', n: rows[id].length }]);
    }
  };
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  it('sends every mail of the small municipality before a tenth of the large one’s when both fall due at once, each mail once', async () => {
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    await sink.waitFor(() => sink.messages.length >= A_MAILS + B_MAILS, 300_000);
    const { b, aBeforeLastB } = orderAtSink();
    expect(b).toBe(B_MAILS);
    expect(aBeforeLastB).toBeLessThan(A_MAILS / 10);
    await expectEachOnce(ids);
  }, 360_000);

  it('sends them before a tenth of a backlog already queued when they fall due, each mail once', async () => {
    // No worker while the outbox fills: the large backlog is all queued (the relay as its tenant), then the small one behind it.
    await worker?.close();
    worker = null;
    sink.messages.splice(0);
    const relay = t.app.get(ReminderRelayService);
    const rows = { [A]: [] as string[], [B]: [] as string[] };
    for (const [id, count, prefix] of [
      [A, A_QUEUED, 'iruma-q-'],
      [B, B_MAILS, 'chiyoda-q-'],
    ] as const) {
      await runInTenant(id, async () => {
        const users = await build(t).users({ prefix, count, roles: ['staff'], section: null });
        rows[id] = await build(t).noticeMails({
          recipients: users,
          slotKey: 'fairness-queued',
          subject: '【お知らせ】代理の設定',
          sendAt: new Date(Date.now() - 60_000),
        });
        expect((await relay.relay()).enqueued).toBe(count);
      });
    }
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    await sink.waitFor(() => sink.messages.length >= A_QUEUED + B_MAILS, 300_000);
    const { b, aBeforeLastB } = orderAtSink();
    expect(b).toBe(B_MAILS);
    expect(aBeforeLastB).toBeLessThan(A_QUEUED / 10);
    await expectEachOnce(rows);
  }, 360_000);
});
