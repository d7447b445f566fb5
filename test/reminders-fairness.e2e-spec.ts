import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { runInTenant, TenantsService } from '@app/database';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { build, tenant } from './utils/builder';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';
import { adminClient } from './utils/test-database';

const A_MAILS = 2_000;
const B_MAILS = 10;

/**
 * Fairness at the 09:00 peak (issue #20): with TENANCY=multi, one municipality's backlog of 2,000
 * mails does not hold back another's 10. Both outboxes are due when the worker starts; the relay's
 * scheduled run takes tenant 1 first (the worst case for the second), yet every one of the second
 * municipality's mails reaches the SMTP sink before a tenth of the first's has, and every mail of
 * both arrives exactly once, its row sent in its own tenant.
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

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await sink.stop();
  });

  it('sends every mail of the small municipality before a tenth of the large one’s, each mail once', async () => {
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] });
    await worker.init();
    await sink.waitFor(() => sink.messages.length >= A_MAILS + B_MAILS, 300_000);

    const fromB = (from: string) => from === 'hyoka@city.chiyoda.example.jp';
    const order = sink.messages.map((m) => (fromB(m.envelope.from) ? 'B' : 'A'));
    const lastB = order.lastIndexOf('B');
    const aBeforeLastB = order.slice(0, lastB).filter((x) => x === 'A').length;
    expect(order.filter((x) => x === 'B')).toHaveLength(B_MAILS);
    expect(aBeforeLastB).toBeLessThan(A_MAILS / 10);
    // Each from its own municipality, to its own people.
    for (const m of sink.messages) expect(m.envelope.to[0]).toMatch(fromB(m.envelope.from) ? /^chiyoda-\d+@/ : /^iruma-\d+@/);

    // Exactly once: one message per outbox row, none twice, none missing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sink.messages).toHaveLength(A_MAILS + B_MAILS);
    const expected = [...ids[A], ...ids[B]].map((id) => `<reminder-${id}@hyoka>`).sort();
    expect(sink.messages.map((m) => m.messageId).sort()).toEqual(expected);
    for (const id of [A, B]) {
      const rows = await runInTenant(id, () => t.db.query(`SELECT status, count(*)::int AS n FROM reminder_mails GROUP BY status`));
      expect(rows).toEqual([{ status: 'sent', n: ids[id].length }]);
    }
  }, 360_000);
});
