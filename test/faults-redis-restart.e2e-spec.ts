import type { ChildProcess } from 'node:child_process';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { tokyoToday } from '@app/domain';
import { JobName, QueueName, redisOptions } from '@app/queue';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { RedisProcess } from './utils/redis-process';
import { openReminderCycle, pastHour, reminderRows } from './utils/reminder-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';
import { killWorkerProcess, startWorkerProcess } from './utils/worker-process';
import { sleep, waitFor } from './utils/wait';

/**
 * A real redis-server process, SIGKILLed in the middle of a reminder fan-out and started again
 * empty on the same port (no RDB, no AOF): the worker (a child process) reconnects, re-asserts
 * its job schedulers, the sweeper re-enqueues the mails whose jobs died with Redis, and every
 * mail arrives exactly once. /health says 503 while Redis is down and 200 after.
 *
 * Nothing in this process that talks to Redis is closed while Redis is down: BullMQ connections
 * (maxRetriesPerRequest: null) wait for it, so afterAll brings Redis back first.
 */
describe('faults: Redis process killed and restarted empty mid-run', () => {
  let redis: RedisProcess;
  let t: TestApp;
  let f: CycleFixture;
  const sink = new SmtpSink();
  let child: ChildProcess | null = null;
  let cycleId: number;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    redis = await RedisProcess.start();
    await sink.start();
    t = await createTestApp({
      REDIS_PORT: String(redis.port),
      SMTP_PORT: String(sink.port),
      REMINDER_RELAY_EVERY_SECONDS: '1',
      REMINDER_SWEEP_EVERY_SECONDS: '1',
      REMINDER_SEND_LEASE_SECONDS: '20',
      REMINDER_RETRY_DELAY_MS: '300',
      REMINDER_MAX_ATTEMPTS: '6',
      // One send job at a time: when Redis dies, one job is sending and the others wait in
      // Redis, so they are lost with it and only the sweeper can bring their mails back.
      REMINDER_SEND_CONCURRENCY: '1',
      SCHEDULER_REFRESH_SECONDS: '1',
    });
    f = await createCycleFixture(t);
    cycleId = await openReminderCycle(t, f, 'rem-redis');
  }, 90_000);

  afterAll(async () => {
    if (child) await killWorkerProcess(child);
    // The api's queues and the cleanup of the suite's keys need Redis up to close.
    if (redis && !redis.running) await redis.start();
    await t?.close();
    await sink.stop();
    await redis?.kill();
  }, 60_000);

  const makeDue = (kind: string, offset: number, at: Date) => reminderRows(t, cycleId).makeDue(kind, offset, at);
  const statuses = (key: string) => reminderRows(t, cycleId).statuses(key);

  /** Names of the job schedulers of both queues, read through the api's own Queue objects. */
  async function schedulers(): Promise<string[]> {
    const names: string[] = [];
    for (const name of [QueueName.Cycles, QueueName.Reminders]) {
      const queue = t.app.get<Queue>(getQueueToken(name), { strict: false });
      for (const s of await queue.getJobSchedulers()) names.push(s.key);
    }
    return names.sort();
  }
  const allSchedulers: string[] = [JobName.OpenDueCycles, JobName.RelayReminders, JobName.SweepReminders].sort();
  const waitForSchedulers = (what: string, timeoutMs: number) =>
    waitFor(
      what,
      async () => {
        const names = await schedulers();
        return JSON.stringify(names) === JSON.stringify(allSchedulers) ? names : undefined;
      },
      timeoutMs,
    );

  /** A short-lived client of the suite's Redis; only used while it is up. */
  async function withRedis<T>(use: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis({ ...redisOptions(t.config), maxRetriesPerRequest: 1 });
    try {
      return await use(client);
    } finally {
      client.disconnect();
    }
  }

  it('reminders, job schedulers and /health recover; every mail arrives exactly once', async () => {
    const health = await t.http().get('/health').timeout(15_000).expect(200);
    expect(health.body.info.redis).toEqual({ status: 'up', maxmemoryPolicy: 'noeviction' });

    child = await startWorkerProcess(t.config);
    await waitForSchedulers('job schedulers at worker start', 20_000);
    const sentinel = `${t.config.QUEUE_PREFIX}:sentinel`;
    await withRedis((c) => c.set(sentinel, 'before the crash'));

    // 61 mails in 3 jobs of 25; slowed down so the first job is still sending when Redis dies.
    sink.delayMs = 40;
    const key = await makeDue('before', -7, pastHour(5));
    await sink.waitFor(() => sink.messages.length >= 10, 40_000);
    await redis.kill();
    const killedAt = Date.now();
    const atKill = await statuses(key);
    // Not everything was already claimed: some mails were queued in jobs that died with Redis.
    expect(atKill.enqueued ?? 0).toBeGreaterThan(0);
    expect(atKill.sent ?? 0).toBeLessThan(61);

    // Redis is down: /health answers 503 at once (it used to hang until Redis was back: the
    // queue counts waited in ioredis' offline queue), naming Redis and the queues as down.
    const asked = Date.now();
    const down = await t.http().get('/health').timeout(15_000);
    expect(down.status).toBe(503);
    expect(Date.now() - asked).toBeLessThan(5_000);
    expect(down.body.status).toBe('error');
    expect(down.body.info.database.status).toBe('up');
    expect(down.body.error.redis.status).toBe('down');
    expect(down.body.error.queues.status).toBe('down');

    // What does not need Redis keeps working: a login (the rate limiter fails open) and
    // opening a cycle (entries and reminder slots are rows in PostgreSQL).
    await t.http().post('/api/auth/login').timeout(15_000).send({ login: 'chief-a', password: 'password' }).expect(200);
    const tpl2 = await t
      .http()
      .post('/api/templates')
      .timeout(15_000)
      .set(auth(f.users.planning.token))
      .send({
        code: 'rem-redis-2',
        name: '行動計画 月次',
        planId: f.planId,
        periodType: 'monthly',
        scaleCode: 'progress4',
        submissionOffsetDays: 40,
        reminderSchedule: { beforeBusinessDays: [3], onDeadline: true, overdueEveryBusinessDays: 2, overdueMaxCount: 2 },
      })
      .expect(201);
    const cycle2 = await t
      .http()
      .post('/api/cycles')
      .timeout(15_000)
      .set(auth(f.users.planning.token))
      .send({ templateId: tpl2.body.id, date: tokyoToday() })
      .expect(201);
    const opened = await t
      .http()
      .post(`/api/cycles/${cycle2.body.id}/actions`)
      .timeout(15_000)
      .set(auth(f.users.planning.token))
      .send({ action: 'open' })
      .expect(200);
    expect(opened.body.cycle.state).toBe('open');
    expect(opened.body.createdEntries).toBe(4);
    const [{ slots }] = await t.db.query(`SELECT count(*)::int AS slots FROM reminder_slots WHERE cycle_id = $1`, [cycle2.body.id]);
    expect(slots).toBeGreaterThan(0);

    // Down for a few seconds in all, then the same port, empty.
    const downFor = 4_000 - (Date.now() - killedAt);
    if (downFor > 0) await sleep(downFor);
    expect((await t.http().get('/health').timeout(15_000)).status).toBe(503);
    await redis.start();
    expect(await withRedis((c) => c.get(sentinel))).toBeNull();

    // The worker re-asserts its schedulers within SCHEDULER_REFRESH_SECONDS of reconnecting.
    await waitForSchedulers('job schedulers after the restart', 30_000);
    await waitFor('/health 200 after the restart', async () => ((await t.http().get('/health').timeout(15_000)).status === 200 ? true : undefined), 30_000);

    // The sweeper finds the rows whose job died with Redis and queues them again.
    await waitFor(
      `all 61 mails of ${key} sent`,
      async () => {
        const now = await statuses(key);
        return JSON.stringify(now) === JSON.stringify({ sent: 61 }) ? now : undefined;
      },
      60_000,
    );
    const rows: { id: string; jobId: string }[] = await t.db.query(`SELECT id, job_id AS "jobId" FROM reminder_mails WHERE slot_key = $1 AND status = 'sent'`, [
      key,
    ]);
    expect(rows).toHaveLength(61);
    const counts = sink.countByMessageId();
    expect(rows.map((r) => counts.get(`<reminder-${r.id}@hyoka>`) ?? 0).filter((n) => n !== 1)).toEqual([]);
    // And the 依頼 of the cycle opened while Redis was down: written with the opening, sent once Redis is back.
    await sink.waitFor(() => sink.messages.filter((m) => m.subject.startsWith('【依頼】')).length >= 61, 30_000);
    expect(sink.messages.filter((m) => !m.subject.startsWith('【依頼】'))).toHaveLength(61);
    expect(new Set(sink.messages.filter((m) => m.subject.startsWith('【依頼】')).map((m) => m.to[0])).size).toBe(61);
    expect(sink.messages).toHaveLength(122);
    expect(rows.filter((r) => r.jobId.includes('-sweep-')).length).toBeGreaterThan(0);

    // And the api still reaches the new Redis: health with queue counts.
    const after = await t.http().get('/health').timeout(15_000).expect(200);
    expect(after.body.info.queues).toHaveProperty('reminders');
    // The same worker process did all this: it rode the outage out, it was not restarted.
    expect(child.exitCode).toBeNull();
    await killWorkerProcess(child);
    child = null;
  }, 150_000);
});
