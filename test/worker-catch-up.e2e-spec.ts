import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import type { AppConfig } from '@app/config';
import { tokyoToday } from '@app/domain';
import { JobName, QueueName, redisOptions } from '@app/queue';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';
import { killWorkerProcess, startWorkerProcess } from './utils/worker-process';

/** The Tokyo wall-clock time of an instant, 'HH:MM:SS'. */
const tokyoClock = (at: Date) => new Date(at.getTime() + 9 * 3600_000).toISOString().slice(11, 19);

/**
 * The daily automatic opening (CYCLE_OPEN_AT, 05:00 by default) when no worker ran at that
 * time: the first worker to start afterwards opens the cycle, once, whether the scheduler's
 * overdue job is still in Redis or Redis lost it.
 */
describe('worker: an opening due while no worker ran is made up at start', () => {
  let child: ChildProcess | null = null;
  afterEach(async () => {
    if (child) await killWorkerProcess(child);
    child = null;
  });

  async function setUp(openAt: string): Promise<{ t: TestApp; f: CycleFixture }> {
    const t = await createTestApp({ CYCLE_OPEN_AT: openAt });
    const f = await createCycleFixture(t);
    await t
      .http()
      .post('/api/templates')
      .set({ Authorization: `Bearer ${f.users.planning.token}` })
      .send({ code: 'auto-m', name: '月次進捗', planId: f.planId, periodType: 'monthly', scaleCode: 'progress4', autoOpen: true })
      .expect(201);
    return { t, f };
  }

  /** Waits for the one open cycle; answers it with its cycle.open audit rows. */
  async function openedCycle(t: TestApp) {
    const until = Date.now() + 40_000;
    for (;;) {
      const cycles: { id: number; state: string; period_key: string }[] = await t.db.query(`SELECT id, state, period_key FROM cycles`);
      if (cycles.some((c) => c.state === 'open') || Date.now() > until) {
        // A second run, had it opened anything, would have done so by now.
        await new Promise((r) => setTimeout(r, 2_000));
        const again = await t.db.query(`SELECT id, state, period_key FROM cycles`);
        const opens = await t.db.query(`SELECT subject_id FROM audit_log WHERE action = 'cycle.open'`);
        return { cycles: again, opens };
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('a worker started 10 minutes after the opening time, with no scheduler in Redis, opens the cycle once', async () => {
    // As at 05:10 with CYCLE_OPEN_AT=05:00: the opening was due 10 minutes ago.
    const dueAt = new Date(Date.now() - 10 * 60_000);
    const { t } = await setUp(tokyoClock(dueAt));
    try {
      child = await startWorkerProcess(t.config);
      const { cycles, opens } = await openedCycle(t);
      expect(cycles).toEqual([{ id: expect.any(Number), state: 'open', period_key: tokyoToday(dueAt).slice(0, 7) }]);
      expect(opens).toEqual([{ subject_id: String(cycles[0].id) }]);
    } finally {
      await t.close();
    }
  }, 90_000);

  it("a worker started after the scheduler's run fell due while every worker was down opens the cycle once", async () => {
    const { t } = await setUp('05:00');
    // The scheduler as the last worker left it, its run due in 2 s; then nobody runs until 2 s after that.
    const dueAt = new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000);
    const config = { ...t.config, CYCLE_OPEN_AT: tokyoClock(dueAt) } as AppConfig;
    const queue = new Queue(QueueName.Cycles, { connection: redisOptions(t.config), prefix: t.config.QUEUE_PREFIX });
    try {
      const [, m, h] = tokyoClock(dueAt).split(':').reverse();
      await queue.upsertJobScheduler(
        JobName.OpenDueCycles,
        { pattern: `${dueAt.getUTCSeconds()} ${Number(m)} ${Number(h)} * * *`, tz: 'Asia/Tokyo' },
        { name: JobName.OpenDueCycles, data: {} },
      );
      const before = await queue.getJobScheduler(JobName.OpenDueCycles);
      expect(before?.next).toBe(dueAt.getTime());
      while (Date.now() < dueAt.getTime() + 2_000) await new Promise((r) => setTimeout(r, 200));
      child = await startWorkerProcess(config);
      const { cycles, opens } = await openedCycle(t);
      expect(cycles).toEqual([{ id: expect.any(Number), state: 'open', period_key: tokyoToday(dueAt).slice(0, 7) }]);
      expect(opens).toEqual([{ subject_id: String(cycles[0].id) }]);
      // The scheduler goes on: its next run is a day later.
      const after = await queue.getJobScheduler(JobName.OpenDueCycles);
      expect(after?.next).toBe(dueAt.getTime() + 24 * 3600_000);
    } finally {
      await queue.close();
      await t.close();
    }
  }, 90_000);
});
