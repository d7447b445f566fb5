import type { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { Queue } from 'bullmq';
import { AppConfig } from '@app/config';
import { QueueName, redisOptions } from '@app/queue';
import { ReminderRelayService } from '@app/reminders';
import { build } from './utils/builder';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { openReminderCycle, pastHour, REMINDED_PEOPLE, reminderRows } from './utils/reminder-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';
import { killWorkerProcess, startWorkerProcess } from './utils/worker-process';

const KILLS = 10;
const EXTRA_STAFF = 540;
const PEOPLE = REMINDED_PEOPLE + EXTRA_STAFF;
const defaults = new AppConfig();

/**
 * The outbox when workers die mid fan-out, with the lease and sweep at their defaults: each
 * kill may double only the mails it had on the wire, strands nothing for long, and a
 * database blip after the SMTP server accepted a mail sends it no second time.
 */
describe('reminders: worker kills and database blips mid fan-out', () => {
  const sink = new SmtpSink();
  let child: ChildProcess | null = null;

  afterAll(async () => {
    if (child) await killWorkerProcess(child);
    await sink.stop();
  });

  async function statuses(t: TestApp, key: string) {
    return reminderRows(t, 0).statuses(key);
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  describe(`${KILLS} SIGKILLs during a fan-out of ${PEOPLE} mails, lease and sweep at their defaults`, () => {
    let t: TestApp;
    let f: CycleFixture;
    let cycleId: number;
    let queue: Queue;
    let steady: ChildProcess | null = null;

    beforeAll(async () => {
      await sink.start();
      // Only what a test needs differs from the defaults: the relay is driven by the test itself.
      t = await createTestApp({ SMTP_PORT: String(sink.port), REMINDER_RELAY_EVERY_SECONDS: '3600' });
      expect(t.config.REMINDER_SEND_LEASE_SECONDS).toBe(defaults.REMINDER_SEND_LEASE_SECONDS);
      expect(t.config.REMINDER_SWEEP_EVERY_SECONDS).toBe(defaults.REMINDER_SWEEP_EVERY_SECONDS);
      f = await createCycleFixture(t);
      cycleId = await openReminderCycle(t, f, 'rem-k');
      await build(t).users({ prefix: 'staff-k', namePrefix: '職員K', count: EXTRA_STAFF, roles: ['staff'], section: f.sections.a });
      queue = new Queue(QueueName.Reminders, { connection: redisOptions(t.config), prefix: t.config.QUEUE_PREFIX });
    });
    afterAll(async () => {
      if (child) await killWorkerProcess(child);
      if (steady) await killWorkerProcess(steady);
      child = null;
      await queue?.close();
      await t?.close();
    });

    it('loses nothing, doubles at most the mails in flight at each kill, and sends every stranded mail within a minute', async () => {
      const key = await reminderRows(t, cycleId).makeDue('before', -7, pastHour(1));
      // The slot's digests, written as the relay's fan-out would, but due in waves: one wave per
      // kill, so that every kill meets mails on their way however long a worker takes to start.
      await t.db.query(`UPDATE reminder_slots SET status = 'fanned_out', fanned_out_at = now() WHERE cycle_id = $1 AND send_at <= now()`, [cycleId]);
      const later = new Date(Date.now() + 86_400_000);
      for (const { id } of await t.db.query(`SELECT id FROM users WHERE section_id = $1 ORDER BY id`, [f.sections.a])) {
        await build(t).reminderMail({ recipient: id, kind: 'digest', slotKey: key, sendAt: later });
      }
      const [{ people }] = await t.db.query(`SELECT count(*)::int AS people FROM reminder_mails WHERE slot_key = $1`, [key]);
      expect(people).toBeGreaterThanOrEqual(PEOPLE - 1);
      const wave = Math.ceil(people / KILLS);
      const relay = t.app.get(ReminderRelayService);
      /** Every time a kill left a row unsent in the dead worker's hands: row id → kill times. */
      const stranded = new Map<string, number[]>();
      const seen = new Set<string>();
      let strandedTotal = 0;
      // One worker that lives throughout (the rest of the deployment), one killed at every wave.
      steady = await startWorkerProcess(t.config);
      for (let k = 0; k < KILLS; k++) {
        child = await startWorkerProcess(t.config);
        const before = sink.messages.length;
        await t.db.query(
          `UPDATE reminder_mails SET send_at = now() - interval '1 minute'
            WHERE id IN (SELECT id FROM reminder_mails WHERE slot_key = $1 AND send_at > now() ORDER BY id LIMIT $2)`,
          [key, wave],
        );
        await relay.relay();
        await sink.waitFor(() => sink.messages.length >= before + wave / 2, 60_000);
        await killWorkerProcess(child);
        child = null;
        const killedAt = Date.now();
        // What the dead worker held: the rows it had claimed ('sending') and the rows of jobs still
        // active. Both workers' rows are taken (they cannot be told apart here), which only makes
        // the one-minute check below stricter.
        const active = (await queue.getActive()).map((j) => String(j.id));
        const rows: { id: string; jobId: string; status: string }[] = await t.db.query(
          `SELECT id, job_id AS "jobId", status FROM reminder_mails
            WHERE slot_key = $1 AND (status = 'sending' OR (status = 'enqueued' AND job_id = ANY($2)))`,
          [key, active],
        );
        // A row still in the same dead job's hands was stranded by an earlier kill, not this one.
        for (const r of rows.filter((r) => !seen.has(`${r.id}/${r.jobId}/${r.status}`))) {
          seen.add(`${r.id}/${r.jobId}/${r.status}`);
          stranded.set(r.id, [...(stranded.get(r.id) ?? []), killedAt]);
          strandedTotal += 1;
        }
      }
      expect(strandedTotal).toBeGreaterThan(0);
      const sentAtKills = (await statuses(t, key)).sent ?? 0;

      await waitFor('every mail sent', async () => ((await statuses(t, key)).sent === people ? true : undefined), 120_000);
      const sent: { id: string; sentAt: string }[] = await t.db.query(
        `SELECT id, extract(epoch FROM sent_at) * 1000 AS "sentAt" FROM reminder_mails WHERE slot_key = $1 AND status = 'sent'`,
        [key],
      );
      expect(sent).toHaveLength(people);
      // Nothing lost: every row arrived under its Message-ID.
      const counts = sink.countByMessageId();
      expect(sent.filter((r) => !counts.get(`<reminder-${r.id}@hyoka>`))).toEqual([]);
      // Doubled only what was on the wire: at most REMINDER_SEND_CONCURRENCY mails per kill.
      const duplicates = [...counts.values()].reduce((n, c) => n + c - 1, 0);
      expect(duplicates).toBeLessThanOrEqual(KILLS * t.config.REMINDER_SEND_CONCURRENCY);
      expect(sink.messages.length).toBe(people + duplicates);
      // Each stranded mail went out within a minute of the kill that stranded it (or of the
      // later kill that stranded it again before then).
      const late: { id: string; afterMs: number }[] = [];
      let slowest = 0;
      for (const r of sent) {
        const kills = stranded.get(r.id);
        if (!kills) continue;
        for (let i = 1; i < kills.length; i++) if (kills[i] - kills[i - 1] > 60_000) late.push({ id: r.id, afterMs: kills[i] - kills[i - 1] });
        const afterMs = Number(r.sentAt) - kills[kills.length - 1];
        slowest = Math.max(slowest, afterMs);
        if (afterMs > 60_000) late.push({ id: r.id, afterMs });
      }
      expect(late).toEqual([]);
      process.stdout.write(
        `reminder kills: ${KILLS} kills, ${strandedTotal} strandings, ${sentAtKills} of ${people} sent during the kills, ${duplicates} duplicates, the slowest stranded mail out ${Math.round(slowest / 1000)} s after its kill\n`,
      );
    }, 300_000);
  });

  describe('the database unreachable right after the SMTP server accepted a mail', () => {
    let t: TestApp;
    let f: CycleFixture;
    let cycleId: number;
    let admin: Client;
    const blipSink = new SmtpSink();

    beforeAll(async () => {
      await blipSink.start();
      // A short lease and sweep, so a mail given back to the queue would be sent again at once.
      t = await createTestApp({
        SMTP_PORT: String(blipSink.port),
        REMINDER_RELAY_EVERY_SECONDS: '1',
        REMINDER_SWEEP_EVERY_SECONDS: '1',
        REMINDER_SEND_LEASE_SECONDS: '3',
        REMINDER_RETRY_DELAY_MS: '300',
      });
      f = await createCycleFixture(t);
      cycleId = await openReminderCycle(t, f, 'rem-b');
      admin = new Client({
        host: t.config.DB_HOST,
        port: t.config.DB_PORT,
        user: t.config.DB_MIGRATION_USER,
        password: t.config.DB_MIGRATION_PASSWORD,
        database: 'postgres',
      });
      await admin.connect();
    });
    afterAll(async () => {
      if (child) await killWorkerProcess(child);
      child = null;
      await admin?.query(`ALTER DATABASE "${t.config.DB_NAME}" WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin?.end();
      blipSink.onAccepted = null;
      await t?.close();
      await blipSink.stop();
    });

    it('marks the mail sent once the database is back and never sends it again', async () => {
      const db = t.config.DB_NAME;
      const OUTAGE_MS = 5_000;
      let trigger: string | null = null;
      let back = 0;
      const start = blipSink.messages.length;
      // At the 10th mail: every backend of the suite's database terminated and no new
      // connection allowed for 5 s (longer than the 3 s lease), then the 250 goes back.
      blipSink.onAccepted = async (mail) => {
        if (trigger || blipSink.messages.length - start < 10) return;
        trigger = mail.messageId;
        await admin.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS false`);
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [db]);
        setTimeout(() => {
          void admin.query(`ALTER DATABASE "${db}" WITH ALLOW_CONNECTIONS true`).then(() => (back = Date.now()));
        }, OUTAGE_MS);
      };
      const key = await reminderRows(t, cycleId).makeDue('before', -3, pastHour(2));
      child = await startWorkerProcess(t.config);
      await waitFor('the outage to end', async () => (back ? true : undefined), 60_000);
      await waitFor(
        'every mail sent',
        async () => {
          const s = await statuses(t, key).catch(() => ({}) as Record<string, number>);
          return s.sent === REMINDED_PEOPLE ? s : undefined;
        },
        60_000,
      );
      // A few sweeps more: a mail given back to the queue would go out again now.
      await new Promise((r) => setTimeout(r, 4_000));
      const rows: { id: string; sentAt: string }[] = await t.db.query(
        `SELECT id, extract(epoch FROM sent_at) * 1000 AS "sentAt" FROM reminder_mails WHERE slot_key = $1 AND status = 'sent'`,
        [key],
      );
      expect(rows).toHaveLength(REMINDED_PEOPLE);
      const counts = blipSink.countByMessageId();
      expect(rows.map((r) => counts.get(`<reminder-${r.id}@hyoka>`) ?? 0).filter((n) => n !== 1)).toEqual([]);
      // The mail accepted at the outage was marked sent only once the database was back.
      const accepted = rows.find((r) => `<reminder-${r.id}@hyoka>` === trigger)!;
      expect(Number(accepted.sentAt)).toBeGreaterThanOrEqual(back - 1000);
      await killWorkerProcess(child!);
      child = null;
    }, 120_000);
  });
});
