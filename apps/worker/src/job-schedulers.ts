import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Queue } from 'bullmq';
import { AppConfig } from '@app/config';
import { JobName, QueueName } from '@app/queue';

/**
 * Recurring jobs. upsertJobScheduler is called by every worker instance at boot and never
 * duplicates a schedule, so each run fires once however many workers there are
 * (@nestjs/schedule would fire in every process). Each worker also re-asserts them every
 * SCHEDULER_REFRESH_SECONDS, so a Redis that restarted empty gets them back without a
 * worker restart; the refresh is per-process housekeeping and schedules nothing twice, so it
 * is an @nestjs/schedule interval (registered, and cleared at shutdown, by ScheduleModule).
 */
@Injectable()
export class JobSchedulers implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobSchedulers.name);

  constructor(
    @InjectQueue(QueueName.Cycles) private readonly cycles: Queue,
    @InjectQueue(QueueName.Reminders) private readonly reminders: Queue,
    @InjectQueue(QueueName.Notices) private readonly notices: Queue,
    private readonly config: AppConfig,
    private readonly schedule: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.upsertAll();
    const refresh = setInterval(() => {
      this.upsertAll().catch((error) => this.logger.warn(`job schedulers not refreshed: ${(error as Error).message}`));
    }, this.config.SCHEDULER_REFRESH_SECONDS * 1000);
    refresh.unref();
    this.schedule.addInterval('job-schedulers-refresh', refresh);
  }

  private async upsertAll(): Promise<void> {
    await this.cycles.upsertJobScheduler(JobName.OpenDueCycles, { pattern: '0 5 * * *', tz: 'Asia/Tokyo' }, { name: JobName.OpenDueCycles, data: {} });
    // Relay and sweeper keep no state in their jobs; a missed run is made up by the next one.
    const housekeeping = { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } };
    await this.reminders.upsertJobScheduler(
      JobName.RelayReminders,
      { every: this.config.REMINDER_RELAY_EVERY_SECONDS * 1000 },
      { name: JobName.RelayReminders, data: {}, opts: housekeeping },
    );
    await this.reminders.upsertJobScheduler(
      JobName.SweepReminders,
      { every: this.config.REMINDER_SWEEP_EVERY_SECONDS * 1000 },
      { name: JobName.SweepReminders, data: {}, opts: housekeeping },
    );
    await this.notices.upsertJobScheduler(
      JobName.RelayNotices,
      { every: this.config.NOTICE_RELAY_EVERY_SECONDS * 1000 },
      { name: JobName.RelayNotices, data: {}, opts: housekeeping },
    );
  }
}
