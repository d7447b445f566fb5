import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { TenantsService } from '@app/database';
import { AppConfig } from '@app/config';
import { ReminderRelayService, ReminderSenderService } from '@app/reminders';
import { dispatchJob, JobHandlers, JobName, JobTenant, QueueName } from '@app/queue';
import { runChecked } from './run-checked';

/**
 * Relay, sweeper and sender of the reminder outbox. Every handler is idempotent: BullMQ
 * delivers at least once, and the outbox rows, not the jobs, say what is done.
 */
@Processor(QueueName.Reminders, { concurrency: 5, autorun: false })
export class RemindersProcessor extends WorkerHost implements OnModuleInit, OnApplicationBootstrap {
  protected readonly handlers: JobHandlers<QueueName.Reminders> = {
    // The relay of a scheduler's run takes every tenant in turns, a batch each (runInTurns), not one tenant's whole backlog after the other's.
    [JobName.RelayReminders]: (job) => this.tenants.runInTurns((job.data as JobTenant).tenantId, async () => (await this.relay.relayRound()).more),
    [JobName.SweepReminders]: () => this.relay.sweep(),
    [JobName.SendReminderDigest]: (job) => {
      // attemptsMade counts the failed tries before this one.
      const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      return this.sender.sendBatch(String(job.id), job.data.mailIds ?? [String(job.data.mailId)], finalAttempt);
    },
  };

  constructor(
    private readonly tenants: TenantsService,
    private readonly relay: ReminderRelayService,
    private readonly sender: ReminderSenderService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    runChecked(QueueName.Reminders, this.handlers, this.worker);
  }

  /** The decorator's options are fixed at import time; the configured concurrency applies once the worker exists. */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.REMINDER_SEND_CONCURRENCY;
  }

  process(job: Job): Promise<unknown> {
    // The relay decides its tenants itself, a turn each (TenantsService.runInTurns).
    if (job.name === JobName.RelayReminders) return dispatchJob(QueueName.Reminders, this.handlers, job);
    return this.tenants.runForJob(job.data?.tenantId, () => dispatchJob(QueueName.Reminders, this.handlers, job));
  }
}
