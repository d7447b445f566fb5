import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '@app/config';
import { ReminderRelayService, ReminderSenderService } from '@app/reminders';
import type { SendJobData } from '@app/reminders';
import { JobName, QueueName } from '@app/queue';

/**
 * Relay, sweeper and sender of the reminder outbox. Every handler is idempotent: BullMQ
 * delivers at least once, and the outbox rows, not the jobs, say what is done.
 */
@Processor(QueueName.Reminders, { concurrency: 5 })
export class RemindersProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly relay: ReminderRelayService,
    private readonly sender: ReminderSenderService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** The decorator's options are fixed at import time; the configured concurrency applies once the worker exists. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.REMINDER_SEND_CONCURRENCY;
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.RelayReminders:
        return this.relay.relay();
      case JobName.SweepReminders:
        return this.relay.sweep();
      case JobName.SendReminderDigest: {
        const data = job.data as SendJobData;
        // attemptsMade counts the failed tries before this one.
        const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        return this.sender.sendBatch(String(job.id), data.mailIds ?? [String(data.mailId)], finalAttempt);
      }
      default:
        throw new Error(`no handler for job ${job.name} on queue ${QueueName.Reminders}`);
    }
  }
}
