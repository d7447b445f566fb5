import type { ChildProcess } from 'node:child_process';
import type { AppConfig } from '@app/config';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { openReminderCycle, pastHour, REMINDED_PEOPLE, reminderRows } from './utils/reminder-fixtures';
import { SmtpSink } from './utils/smtp-sink';
import { TcpProxy } from './utils/tcp-proxy';
import { createTestApp, TestApp } from './utils/test-app';
import { killWorkerProcess, startWorkerProcess } from './utils/worker-process';
import { sleep, waitFor } from './utils/wait';

/**
 * A worker (a child process) reaches Redis through a loopback proxy, whose open connections
 * then go silent for good while new ones pass (a half-dead link: connected, nothing arrives,
 * no reconnect logic notices). The api, connected directly, sees jobs due and none finished:
 * /health 503 naming the stuck queue. The worker's own liveness check (on a connection that
 * gives up and starts afresh) sees the same a little later, restarts its BullMQ connections,
 * and the reminders due meanwhile go out, once each; /health is 200 again.
 */
describe('worker liveness: a stuck queue is reported and the worker reconnects', () => {
  let t: TestApp;
  let f: CycleFixture;
  let proxy: TcpProxy;
  const sink = new SmtpSink();
  let child: ChildProcess | null = null;
  let cycleId: number;

  beforeAll(async () => {
    await sink.start();
    t = await createTestApp({
      SMTP_PORT: String(sink.port),
      QUEUE_STUCK_SECONDS: '5',
      REMINDER_RELAY_EVERY_SECONDS: '1',
      REMINDER_SWEEP_EVERY_SECONDS: '1',
      REMINDER_RETRY_DELAY_MS: '300',
      SCHEDULER_REFRESH_SECONDS: '1',
    });
    proxy = await new TcpProxy(t.config.REDIS_PORT, t.config.REDIS_HOST).start();
    f = await createCycleFixture(t);
    cycleId = await openReminderCycle(t, f, 'rem-liveness');
  }, 90_000);

  afterAll(async () => {
    if (child) await killWorkerProcess(child);
    await proxy?.stop();
    await t?.close();
    await sink.stop();
  }, 60_000);

  const health = () => t.http().get('/health').timeout(15_000);

  it('reports the stuck queue, then the worker restarts its connections and the jobs complete', async () => {
    // The worker waits longer than the api before it acts, so the test sees the stuck state first.
    const workerConfig = { ...t.config, REDIS_PORT: proxy.port, QUEUE_STUCK_SECONDS: 12, QUEUE_LIVENESS_EVERY_SECONDS: 1 } as AppConfig;
    child = await startWorkerProcess(workerConfig);
    await waitFor(
      'the worker at work',
      async () => {
        const res = await health();
        return res.status === 200 && res.body.info.queues.workersMissing.length === 0 && res.body.info.queues.stuck.length === 0 ? true : undefined;
      },
      30_000,
    );
    await sleep(1_500);

    proxy.freezeOpen();
    const frozenAt = Date.now();
    // Due while the worker hears nothing: relayed, and sent, only once it is back.
    const key = await reminderRows(t, cycleId).makeDue('before', -7, pastHour(5));

    const stuck = await waitFor(
      '/health naming the stuck queue',
      async () => {
        const res = await health();
        return res.status === 503 && res.body.error?.queues?.stuck?.includes('reminders') ? res : undefined;
      },
      20_000,
    );
    expect(Date.now() - frozenAt).toBeGreaterThanOrEqual(5_000);
    expect(stuck.body.error.queues.message).toMatch(/キュー .*reminders.* が停滞しています/);
    expect(stuck.body.info.database.status).toBe('up');
    expect(sink.messages).toHaveLength(0);

    await waitFor('/health 200 after the worker reconnected', async () => ((await health()).status === 200 ? true : undefined), 45_000);
    await waitFor(
      `all ${REMINDED_PEOPLE} mails of ${key} sent`,
      async () => {
        const now = await reminderRows(t, cycleId).statuses(key);
        return now.sent === REMINDED_PEOPLE && Object.keys(now).length === 1 ? now : undefined;
      },
      60_000,
    );
    expect(new Set(sink.messages.map((m) => m.messageId)).size).toBe(REMINDED_PEOPLE);
    expect(sink.messages).toHaveLength(REMINDED_PEOPLE);
    // The same process recovered: it was not restarted.
    expect(child.exitCode).toBeNull();
  }, 180_000);
});
