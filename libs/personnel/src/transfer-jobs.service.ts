import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { addJobs, JobName, QueueName } from '@app/queue';

/** The producer of apply-due-transfers: a run for a given day (catch-up, tests), beside the worker's recurring one. */
@Injectable()
export class TransferJobsService {
  constructor(@InjectQueue(QueueName.Personnel) private readonly queue: Queue) {}

  async enqueue(asOf?: string): Promise<string | undefined> {
    const [job] = await addJobs(this.queue, JobName.ApplyDueTransfers, [
      { data: asOf ? { asOf } : {}, opts: { attempts: 3, removeOnComplete: { count: 100 } } },
    ]);
    return job.id;
  }

  /** The producer of apply-due-reforms: a run for a given day (catch-up, tests), beside the worker's recurring one. */
  async enqueueReforms(asOf?: string): Promise<string | undefined> {
    const [job] = await addJobs(this.queue, JobName.ApplyDueReforms, [{ data: asOf ? { asOf } : {}, opts: { attempts: 3, removeOnComplete: { count: 100 } } }]);
    return job.id;
  }
}
