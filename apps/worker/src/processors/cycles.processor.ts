import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { CyclesService } from '@app/cycles';
import { tokyoToday } from '@app/domain';
import { JobName, QueueName } from '@app/queue';

@Processor(QueueName.Cycles)
export class CyclesProcessor extends WorkerHost {
  private readonly logger = new Logger(CyclesProcessor.name);

  constructor(private readonly cycles: CyclesService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.OpenDueCycles: {
        // Opening is idempotent, so a re-delivered job (worker killed mid-run) does no harm.
        const opened = await this.cycles.openDueCycles(tokyoToday(new Date(job.timestamp)));
        if (opened.length) this.logger.log(`opened ${JSON.stringify(opened)}`);
        return opened;
      }
      default:
        throw new Error(`no handler for job ${job.name} on queue ${QueueName.Cycles}`);
    }
  }
}
