import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { RedisClusterProcesses, redisCli } from './utils/redis-cluster';
import { openReminderCycle, pastHour, REMINDED_PEOPLE, reminderRows } from './utils/reminder-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { createTestApp, TestApp } from './utils/test-app';
import { killWorkerProcess, startWorkerProcess } from './utils/worker-process';
import { sleep, waitFor } from './utils/wait';

/**
 * The api and a worker (a child process) on a real Redis Cluster of three primaries on
 * loopback (REDIS_MODE=cluster, a hash-tagged QUEUE_PREFIX). The primary holding the
 * installation's slot is SIGKILLed in the middle of a reminder fan-out and started again empty
 * (no replica to take over: the cluster is down meanwhile); every mail arrives exactly once.
 */
describe('Redis Cluster: queues on a hash-tagged prefix, a primary killed and restarted', () => {
  let cluster: RedisClusterProcesses;
  let t: TestApp;
  let f: CycleFixture;
  const sink = new SmtpSink();
  let child: ChildProcess | null = null;
  let cycleId: number;
  const prefix = `{hyoka-cl-${randomBytes(3).toString('hex')}}`;

  beforeAll(async () => {
    cluster = await RedisClusterProcesses.start(3);
    await sink.start();
    t = await createTestApp({
      REDIS_MODE: 'cluster',
      REDIS_CLUSTER_NODES: cluster.seedNodes,
      QUEUE_PREFIX: prefix,
      SMTP_PORT: String(sink.port),
      REMINDER_RELAY_EVERY_SECONDS: '1',
      REMINDER_SWEEP_EVERY_SECONDS: '1',
      REMINDER_SEND_LEASE_SECONDS: '20',
      REMINDER_RETRY_DELAY_MS: '300',
      REMINDER_SEND_CONCURRENCY: '1',
      SCHEDULER_REFRESH_SECONDS: '1',
    });
    f = await createCycleFixture(t);
    cycleId = await openReminderCycle(t, f, 'rem-cluster');
  }, 120_000);

  afterAll(async () => {
    if (child) await killWorkerProcess(child);
    for (const node of cluster?.nodes ?? []) if (!node.running) await node.start();
    await cluster?.waitUntilOk().catch(() => undefined);
    await t?.close();
    await sink.stop();
    await cluster?.stop();
  }, 60_000);

  it('boots on the cluster, keeps every key of the installation in one slot, and sends each mail once across the restart', async () => {
    const health = await t.http().get('/health').timeout(15_000).expect(200);
    expect(health.body.info.redis.status).toBe('up');
    expect(health.body.info.queues).toHaveProperty('reminders');

    child = await startWorkerProcess(t.config);
    const rows = reminderRows(t, cycleId);
    sink.delayMs = 40;
    const key = await rows.makeDue('before', -7, pastHour(5));
    await sink.waitFor(() => sink.messages.length >= 10, 60_000);

    // Every key the installation made (queues, schedulers, rate limits) hashes to one slot, on one node.
    const keys = (await Promise.all(cluster.nodes.map((n) => redisCli(n.port, '--scan', '--pattern', `${prefix}:*`)))).flatMap((s) =>
      s.split('\n').filter(Boolean),
    );
    expect(keys.length).toBeGreaterThan(3);
    const slots = new Set(await Promise.all(keys.slice(0, 20).map((k) => redisCli(cluster.nodes[0].port, 'CLUSTER', 'KEYSLOT', k))));
    expect(slots.size).toBe(1);
    const owner = await cluster.ownerOf(`${prefix}:reminders:wait`);

    await owner.kill();
    const atKill = await rows.statuses(key);
    expect(atKill.sent ?? 0).toBeLessThan(REMINDED_PEOPLE);
    await sleep(3_000);
    expect((await t.http().get('/health').timeout(15_000)).status).toBe(503);
    await owner.start();
    await cluster.waitUntilOk();

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
    await waitFor('/health 200 after the restart', async () => ((await t.http().get('/health').timeout(15_000)).status === 200 ? true : undefined), 30_000);
    expect(child.exitCode).toBeNull();
  }, 240_000);
});
