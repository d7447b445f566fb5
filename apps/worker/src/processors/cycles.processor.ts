import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { TenantsService } from '@app/database';
import { CyclesService } from '@app/cycles';
import { tokyoToday } from '@app/domain';
import { dispatchJob, JobHandlers, JobName, QueueName } from '@app/queue';
import { runChecked } from './run-checked';

/**
 * When the opening a job performs was due: a catch-up job says so; a scheduler's job is named
 * `repeat:<scheduler>:<due ms>`. Not job.timestamp: a scheduler's next job is created when the
 * previous one runs, a day early, and would open the period of the day before.
 */
export function dueAt(job: { id?: string; data: { dueAt?: string }; timestamp: number }): Date {
  if (job.data.dueAt) return new Date(job.data.dueAt);
  const scheduled = /^repeat:.+:(\d+)$/.exec(job.id ?? '');
  return new Date(scheduled ? Number(scheduled[1]) : job.timestamp);
}

@Processor(QueueName.Cycles, { autorun: false })
export class CyclesProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(CyclesProcessor.name);

  protected readonly handlers: JobHandlers<QueueName.Cycles> = {
    [JobName.OpenDueCycles]: async (job) => {
      // Opening is idempotent, so a re-delivered job (worker killed mid-run) or a catch-up run
      // beside the scheduler's own does no harm.
      const opened = await this.cycles.openDueCycles(tokyoToday(dueAt(job)));
      if (opened.length) this.logger.log(`opened ${JSON.stringify(opened)}`);
      return opened;
    },
  };

  constructor(
    private readonly tenants: TenantsService,
    private readonly cycles: CyclesService,
  ) {
    super();
  }

  onModuleInit(): void {
    runChecked(QueueName.Cycles, this.handlers, this.worker);
  }

  process(job: Job): Promise<unknown> {
    return this.tenants.runForJob(job.data?.tenantId, () => dispatchJob(QueueName.Cycles, this.handlers, job));
  }
}
