import { UnrecoverableError, type Job } from 'bullmq';
import { assertJobHandlers, dispatchJob, jobNamesOn } from './job-contract';
import { JobName, QueueName } from './queue-names';

describe('job contract', () => {
  it('lists the jobs of each queue from JOB_QUEUE', () => {
    expect(jobNamesOn(QueueName.Cycles)).toEqual([JobName.OpenDueCycles]);
    expect(jobNamesOn(QueueName.Reminders)).toEqual([JobName.RelayReminders, JobName.SweepReminders, JobName.SendReminderDigest]);
  });

  it("refuses a processor that lacks a handler or handles another queue's job", () => {
    const ok = async () => null;
    expect(() => assertJobHandlers(QueueName.Reminders, { [JobName.RelayReminders]: ok, [JobName.SweepReminders]: ok })).toThrow(
      'queue reminders: no handler for send-reminder-digest',
    );
    expect(() => assertJobHandlers(QueueName.Cycles, { [JobName.OpenDueCycles]: ok, [JobName.RelayReminders]: ok })).toThrow(/other queues: relay-reminders/);
    expect(() => assertJobHandlers(QueueName.Cycles, { [JobName.OpenDueCycles]: ok })).not.toThrow();
  });

  it('dispatches by name and fails an unknown job without retries', async () => {
    const handlers = { [JobName.OpenDueCycles]: async (job: Job) => `ran ${job.name}` };
    await expect(dispatchJob(QueueName.Cycles, handlers, { name: JobName.OpenDueCycles } as Job)).resolves.toBe('ran open-due-cycles');
    expect(() => dispatchJob(QueueName.Cycles, handlers, { name: 'nope' } as Job)).toThrow(UnrecoverableError);
  });
});
