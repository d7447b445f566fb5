import type { ChildProcess } from 'node:child_process';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { RedisSentinelProcesses } from './utils/redis-cluster';
import { openReminderCycle, pastHour, REMINDED_PEOPLE, reminderRows } from './utils/reminder-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';
import { killWorkerProcess, startWorkerProcess } from './utils/worker-process';
import { waitFor } from './utils/wait';

/**
 * The api and a worker (a child process) on a primary, its replica and three sentinels on
 * loopback (REDIS_MODE=sentinel). In the middle of a reminder fan-out the sentinels fail the
 * primary over to the replica (SENTINEL FAILOVER: the old primary's clients are cut off and must
 * find the new one through the sentinels); every mail arrives exactly once.
 */
describe('Redis Sentinel: the primary failed over mid-run', () => {
  let redis: RedisSentinelProcesses;
  let t: TestApp;
  let f: CycleFixture;
  const sink = new SmtpSink();
  let child: ChildProcess | null = null;
  let cycleId: number;

  beforeAll(async () => {
    redis = await RedisSentinelProcesses.start('hyoka-test');
    await sink.start();
    t = await createTestApp({
      REDIS_MODE: 'sentinel',
      REDIS_SENTINELS: redis.sentinelNodes,
      REDIS_SENTINEL_NAME: redis.name,
      // Pointing at nothing: in sentinel mode the address comes from the sentinels only.
      REDIS_HOST: '127.0.0.2',
      REDIS_PORT: '1',
      SMTP_PORT: String(sink.port),
      REMINDER_RELAY_EVERY_SECONDS: '1',
      REMINDER_SWEEP_EVERY_SECONDS: '1',
      REMINDER_SEND_LEASE_SECONDS: '20',
      REMINDER_RETRY_DELAY_MS: '300',
      REMINDER_SEND_CONCURRENCY: '1',
      SCHEDULER_REFRESH_SECONDS: '1',
    });
    f = await createCycleFixture(t);
    cycleId = await openReminderCycle(t, f, 'rem-sentinel');
  }, 120_000);

  afterAll(async () => {
    if (child) await killWorkerProcess(child);
    await t?.close();
    await sink.stop();
    await redis?.stop();
  }, 60_000);

  it('follows the new primary; no reminder is lost or sent twice', async () => {
    await t.http().get('/health').timeout(15_000).expect(200);
    child = await startWorkerProcess(t.config);
    const rows = reminderRows(t, cycleId);
    sink.delayMs = 40;
    const key = await rows.makeDue('before', -7, pastHour(5));
    await sink.waitFor(() => sink.messages.length >= 10, 60_000);

    expect(await redis.primaryPort()).toBe(redis.primary.port);
    await redis.failover();
    expect((await rows.statuses(key)).sent ?? 0).toBeLessThan(REMINDED_PEOPLE);

    await waitFor(
      `all ${REMINDED_PEOPLE} mails of ${key} sent`,
      async () => {
        const now = await rows.statuses(key);
        return now.sent === REMINDED_PEOPLE && Object.keys(now).length === 1 ? now : undefined;
      },
      90_000,
    );
    const sent: { id: string }[] = await t.db.query(`SELECT id FROM reminder_mails WHERE slot_key = $1 AND status = 'sent'`, [key]);
    const counts = sink.countByMessageId();
    expect(sent.map((r) => counts.get(`<reminder-${r.id}@hyoka>`) ?? 0).filter((n) => n !== 1)).toEqual([]);
    expect(sink.messages).toHaveLength(REMINDED_PEOPLE);
    // The api reaches the new primary too (the old one is its replica now and refuses writes).
    await waitFor('/health 200 on the new primary', async () => ((await t.http().get('/health').timeout(15_000)).status === 200 ? true : undefined), 30_000);
    await t.http().post('/api/auth/login').timeout(15_000).send({ login: 'chief-a', password: 'password' }).expect(200);
    expect(child.exitCode).toBeNull();
  }, 240_000);
});
