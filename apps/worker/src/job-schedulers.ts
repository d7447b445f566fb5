import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobName, QueueName } from '@app/queue';

/**
 * Recurring jobs. upsertJobScheduler is called by every worker instance at boot and never
 * duplicates a schedule, so each run fires once however many workers there are
 * (@nestjs/schedule would fire in every process).
 */
@Injectable()
export class JobSchedulers implements OnApplicationBootstrap {
  constructor(@InjectQueue(QueueName.Cycles) private readonly cycles: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.cycles.upsertJobScheduler(
      JobName.OpenDueCycles,
      { pattern: '0 5 * * *', tz: 'Asia/Tokyo' },
      { name: JobName.OpenDueCycles, data: {} },
    );
  }
}
