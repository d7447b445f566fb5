import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { ReminderRelayService, ReminderSenderService } from '@app/reminders';
import { JobName, QueueName } from '@app/queue';

/**
 * Relay, sweeper and sender of the reminder outbox. Every handler is idempotent: BullMQ
 * delivers at least once, and the outbox rows, not the jobs, say what is done.
 */
@Processor(QueueName.Reminders, { concurrency: 5 })
export class RemindersProcessor extends WorkerHost {
  constructor(
    private readonly relay: ReminderRelayService,
    private readonly sender: ReminderSenderService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.RelayReminders:
        return this.relay.relay();
      case JobName.SweepReminders:
        return this.relay.sweep();
      case JobName.SendReminderDigest: {
        // attemptsMade counts the failed tries before this one.
        const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        return this.sender.send(String(job.data.mailId), finalAttempt);
      }
      default:
        throw new Error(`no handler for job ${job.name} on queue ${QueueName.Reminders}`);
    }
  }
}
