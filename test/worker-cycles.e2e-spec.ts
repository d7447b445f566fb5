import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, QueueEvents } from 'bullmq';
import { JobName, QueueName, redisOptions } from '@app/queue';
import { tokyoToday } from '@app/domain';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { createCycleFixture, CycleFixture } from './utils/cycle-fixtures';
import { createTestApp, TestApp } from './utils/test-app';

describe('worker: automatic cycle opening through a BullMQ job scheduler', () => {
  let t: TestApp;
  let f: CycleFixture;
  let workers: INestApplicationContext[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    f = await createCycleFixture(t);
    // Two worker instances on the same database and Redis, as in a scaled deployment.
    workers = [
      await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] }),
      await NestFactory.createApplicationContext(WorkerModule.forRoot(t.config), { logger: ['error'] }),
    ];
    await Promise.all(workers.map((w) => w.init()));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await t.close();
  });

  it('registers one scheduler however many workers boot', async () => {
    const queue = workers[0].get<Queue>(getQueueToken(QueueName.Cycles));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual([JobName.OpenDueCycles]);
    expect(schedulers[0].tz).toBe('Asia/Tokyo');
  });

  it('opens the current period of an auto-open template exactly once, even when the job runs twice', async () => {
    await t
      .http()
      .post('/api/templates')
      .set({ Authorization: `Bearer ${f.users.planning.token}` })
      .send({ code: 'auto-m', name: '月次進捗', planId: f.planId, periodType: 'monthly', scaleCode: 'progress4', autoOpen: true })
      .expect(201);
    const queue = workers[0].get<Queue>(getQueueToken(QueueName.Cycles));
    const events = new QueueEvents(QueueName.Cycles, { connection: redisOptions(t.config), prefix: t.config.QUEUE_PREFIX });
    await events.waitUntilReady();
    try {
      for (const run of ['a', 'b']) {
        const job = await queue.add(JobName.OpenDueCycles, {}, { jobId: `manual-open-${run}` });
        await job.waitUntilFinished(events, 30_000);
      }
    } finally {
      await events.close();
    }
    const today = tokyoToday();
    const cycles = await t.db.query(`SELECT id, state, period_key FROM cycles`);
    expect(cycles).toEqual([{ id: expect.any(Number), state: 'open', period_key: today.slice(0, 7) }]);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM entries WHERE cycle_id = $1`, [cycles[0].id]);
    expect(count).toBe(4);
    const opens = await t.db.query(`SELECT actor_user_id FROM audit_log WHERE action = 'cycle.open'`);
    expect(opens).toEqual([{ actor_user_id: null }]);
  });
});
