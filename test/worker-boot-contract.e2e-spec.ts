import { Test } from '@nestjs/testing';
import { JobName, type JobHandlers, QueueName } from '@app/queue';
import { RemindersProcessor } from '../apps/worker/src/processors/reminders.processor';
import { QUEUE_PROCESSORS, WorkerModule } from '../apps/worker/src/worker.module';
import { createTestApp, TestApp } from './utils/test-app';

/** A reminders processor that forgot the digest sender: jobs of that name would wait in Redis forever. */
class WithoutDigestHandler extends RemindersProcessor {
  protected override readonly handlers = {
    [JobName.RelayReminders]: async () => null,
    [JobName.SweepReminders]: async () => null,
  } as unknown as JobHandlers<QueueName.Reminders>;
}

/**
 * The queue contract is checked when the worker starts: a job name of a queue without its
 * handler fails the boot (with the name) before the queue's worker takes any job, instead of
 * the job failing later in Redis.
 */
describe('worker start-up: one handler per job name', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('names a processor for every queue', () => {
    expect(Object.keys(QUEUE_PROCESSORS).sort()).toEqual(Object.values(QueueName).sort());
  });

  it('boots with every handler, and refuses to boot when a job name has none', async () => {
    const whole = await Test.createTestingModule({ imports: [WorkerModule.forRoot(t.config)] }).compile();
    await expect(whole.init()).resolves.toBeDefined();
    expect(whole.get(RemindersProcessor).worker.isRunning()).toBe(true);
    await whole.close();

    const broken = await Test.createTestingModule({ imports: [WorkerModule.forRoot(t.config)] })
      .overrideProvider(RemindersProcessor)
      .useClass(WithoutDigestHandler)
      .compile();
    try {
      await expect(broken.init()).rejects.toThrow(`queue ${QueueName.Reminders}: no handler for ${JobName.SendReminderDigest}`);
      // Its worker never took a job: it is started only once the handlers are checked.
      expect(broken.get(RemindersProcessor).worker.isRunning()).toBe(false);
    } finally {
      await broken.close();
    }
  });
});
