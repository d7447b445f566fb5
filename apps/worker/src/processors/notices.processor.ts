import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { NoticeSenderService } from '@app/notices';
import { assertJobHandlers, dispatchJob, JobHandlers, JobName, QueueName } from '@app/queue';

/** Sends the notice outbox (libs/notices); the rows, not the job, say what is done. */
@Processor(QueueName.Notices, { concurrency: 1 })
export class NoticesProcessor extends WorkerHost implements OnModuleInit {
  private readonly handlers: JobHandlers<QueueName.Notices> = {
    [JobName.RelayNotices]: () => this.sender.relay(),
  };

  constructor(private readonly sender: NoticeSenderService) {
    super();
  }

  onModuleInit(): void {
    assertJobHandlers(QueueName.Notices, this.handlers);
  }

  process(job: Job): Promise<unknown> {
    return dispatchJob(QueueName.Notices, this.handlers, job);
  }
}
