import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Queue } from 'bullmq';
import { AppConfig } from '@app/config';
import { lastTokyoTimeOfDay, TIME_OF_DAY } from '@app/domain';
import { addJobs, JobName, QueueName, upsertJobScheduler } from '@app/queue';

/** A catch-up job is kept this long once done, so re-adding it (every refresh) stays a no-op. */
const CATCH_UP_KEEP_SECONDS = 3 * 24 * 3600;
/** How often the worker looks for 人事異動 whose 発令日 has come (a query on a small table). */
const TRANSFERS_EVERY_MS = 60_000;

/**
 * Recurring jobs. upsertJobScheduler is called by every worker instance at boot and never
 * duplicates a schedule, so each run fires once however many workers there are
 * (@nestjs/schedule would fire in every process). Each worker also re-asserts them every
 * SCHEDULER_REFRESH_SECONDS, so a Redis that restarted empty gets them back without a
 * worker restart; the refresh is per-process housekeeping and schedules nothing twice, so it
 * is an @nestjs/schedule interval (registered, and cleared at shutdown, by ScheduleModule).
 *
 * Re-asserting a cron scheduler replaces its pending job with the next one after now, which
 * would drop a run that is due but not yet taken (no worker was up at 05:00). So a scheduler
 * whose run is overdue is left alone, and after every upsert the last due opening is queued
 * once more under a job id of its own (`open-due-cycles-at-<ms>`): whichever runs first opens
 * the cycles, the other finds them open (opening is idempotent), and a Redis that lost the
 * scheduler, or a worker that starts at 05:10, still gets the 05:00 opening.
 */
@Injectable()
export class JobSchedulers implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobSchedulers.name);

  constructor(
    @InjectQueue(QueueName.Cycles) private readonly cycles: Queue,
    @InjectQueue(QueueName.Reminders) private readonly reminders: Queue,
    @InjectQueue(QueueName.Personnel) private readonly personnel: Queue,
    private readonly config: AppConfig,
    private readonly schedule: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.upsertAll();
    // The period comes from the configuration, so the interval is added at run time (the
    // registry's dynamic form of @Interval); a refresh still running (Redis slow) is not doubled.
    let refreshing = false;
    const refresh = setInterval(() => {
      if (refreshing) return;
      refreshing = true;
      this.upsertAll()
        .catch((error) => this.logger.warn(`job schedulers not refreshed: ${(error as Error).message}`))
        .finally(() => (refreshing = false));
    }, this.config.SCHEDULER_REFRESH_SECONDS * 1000);
    refresh.unref();
    this.schedule.addInterval('job-schedulers-refresh', refresh);
  }

  /** The cron pattern (seconds first) of CYCLE_OPEN_AT. */
  private openingPattern(): string {
    const [, h, m, s] = TIME_OF_DAY.exec(this.config.CYCLE_OPEN_AT)!;
    return `${Number(s ?? 0)} ${Number(m)} ${Number(h)} * * *`;
  }

  private async upsertAll(): Promise<void> {
    const pattern = this.openingPattern();
    const current = await this.cycles.getJobScheduler(JobName.OpenDueCycles);
    const overdue = current?.pattern === pattern && current.next !== undefined && current.next <= Date.now();
    if (!overdue) {
      await upsertJobScheduler(
        this.cycles,
        JobName.OpenDueCycles,
        { pattern, tz: 'Asia/Tokyo' },
        { data: {}, opts: { removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } } },
      );
    }
    // Computed after the upsert: an opening that fell due meanwhile is made up too.
    await this.catchUpOpening(lastTokyoTimeOfDay(this.config.CYCLE_OPEN_AT));
    // Relay and sweeper keep no state in their jobs; a missed run is made up by the next one.
    const housekeeping = { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } };
    await upsertJobScheduler(
      this.reminders,
      JobName.RelayReminders,
      { every: this.config.REMINDER_RELAY_EVERY_SECONDS * 1000 },
      { data: {}, opts: housekeeping },
    );
    await upsertJobScheduler(
      this.reminders,
      JobName.SweepReminders,
      { every: this.config.REMINDER_SWEEP_EVERY_SECONDS * 1000 },
      { data: {}, opts: housekeeping },
    );
    // 人事異動 of the day are applied within a minute of midnight (Tokyo), or of a worker starting
    // late; the job finds what is due itself, so a missed run is made up by the next one.
    await this.personnel.upsertJobScheduler(
      JobName.ApplyDueTransfers,
      { every: TRANSFERS_EVERY_MS },
      { name: JobName.ApplyDueTransfers, data: {}, opts: housekeeping },
    );
    // 機構改革 on their 施行日, the same way (the transfers' run applies the day's reforms first too).
    await this.personnel.upsertJobScheduler(
      JobName.ApplyDueReforms,
      { every: TRANSFERS_EVERY_MS },
      { name: JobName.ApplyDueReforms, data: {}, opts: housekeeping },
    );
  }

  /** Queues the opening due at `dueAt`; a no-op while a job for that time exists or was done lately. */
  private async catchUpOpening(dueAt: Date): Promise<void> {
    const keep = { age: CATCH_UP_KEEP_SECONDS };
    await addJobs(this.cycles, JobName.OpenDueCycles, [
      {
        data: { dueAt: dueAt.toISOString() },
        opts: {
          jobId: `${JobName.OpenDueCycles}-at-${dueAt.getTime()}`,
          attempts: 5,
          backoff: { type: 'exponential', delay: 5_000 },
          removeOnComplete: keep,
          removeOnFail: keep,
        },
      },
    ]);
  }
}
