import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { CyclesService } from '@app/cycles';
import { tokyoToday } from '@app/domain';
import { assertJobHandlers, dispatchJob, JobHandlers, JobName, QueueName } from '@app/queue';

@Processor(QueueName.Cycles)
export class CyclesProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(CyclesProcessor.name);

  private readonly handlers: JobHandlers<QueueName.Cycles> = {
    [JobName.OpenDueCycles]: async (job) => {
      // Opening is idempotent, so a re-delivered job (worker killed mid-run) does no harm.
      const opened = await this.cycles.openDueCycles(tokyoToday(new Date(job.timestamp)));
      if (opened.length) this.logger.log(`opened ${JSON.stringify(opened)}`);
      return opened;
    },
  };

  constructor(private readonly cycles: CyclesService) {
    super();
  }

  onModuleInit(): void {
    assertJobHandlers(QueueName.Cycles, this.handlers);
  }

  process(job: Job): Promise<unknown> {
    return dispatchJob(QueueName.Cycles, this.handlers, job);
  }
}
