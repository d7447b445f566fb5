import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { TenantsService } from '@app/database';
import { tokyoToday } from '@app/domain';
import { TransfersService } from '@app/personnel';
import { assertJobHandlers, dispatchJob, JobHandlers, JobName, QueueName } from '@app/queue';

@Processor(QueueName.Personnel)
export class PersonnelProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(PersonnelProcessor.name);

  private readonly handlers: JobHandlers<QueueName.Personnel> = {
    [JobName.ApplyDueTransfers]: async (job) => {
      const asOf = job.data.asOf && /^\d{4}-\d{2}-\d{2}$/.test(job.data.asOf) ? job.data.asOf : tokyoToday();
      // Applying is idempotent (each row once, under a row lock): a re-delivered job does nothing twice.
      const outcomes = await this.transfers.applyDue(asOf);
      for (const o of outcomes)
        if (o.withoutApprover.length) this.logger.warn(`personnel transfer ${o.transferId} left entries without approver: ${o.withoutApprover.join(',')}`);
      return outcomes;
    },
  };

  constructor(
    private readonly tenants: TenantsService,
    private readonly transfers: TransfersService,
  ) {
    super();
  }

  onModuleInit(): void {
    assertJobHandlers(QueueName.Personnel, this.handlers);
  }

  process(job: Job): Promise<unknown> {
    return this.tenants.runForJob(job.data?.tenantId, () => dispatchJob(QueueName.Personnel, this.handlers, job));
  }
}
