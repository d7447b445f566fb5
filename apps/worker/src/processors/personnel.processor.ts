import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleInit } from '@nestjs/common';
import { Job } from 'bullmq';
import { TenantsService } from '@app/database';
import { tokyoToday } from '@app/domain';
import { OrgReformService, TransfersService } from '@app/personnel';
import { assertJobHandlers, dispatchJob, JobHandlers, JobName, QueueName } from '@app/queue';

@Processor(QueueName.Personnel)
export class PersonnelProcessor extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(PersonnelProcessor.name);

  private readonly handlers: JobHandlers<QueueName.Personnel> = {
    [JobName.ApplyDueTransfers]: async (job) => {
      const asOf = dayOf(job.data.asOf);
      // The 機構改革 of the day go first, so that 人事異動 of the same day meet the new organisation
      // (a person sent to a section merged that day is skipped, with the reason). Both are idempotent.
      // A reform that cannot be applied now does not hold the transfers back: its own job retries it.
      await this.reforms.applyDue(asOf).catch((error: Error) => this.logger.error(`org reforms of ${asOf} not applied before the transfers: ${error.message}`));
      // Applying is idempotent (each row once, under a row lock): a re-delivered job does nothing twice.
      const outcomes = await this.transfers.applyDue(asOf);
      for (const o of outcomes)
        if (o.withoutApprover.length) this.logger.warn(`personnel transfer ${o.transferId} left entries without approver: ${o.withoutApprover.join(',')}`);
      return outcomes;
    },
    [JobName.ApplyDueReforms]: async (job) => {
      // Each file once (applied_at, under a row lock): a re-delivered job or a second worker does nothing twice.
      const outcomes = await this.reforms.applyDue(dayOf(job.data.asOf));
      for (const o of outcomes) if (!o.applied) this.logger.warn(`org reform ${o.reformId} not applied: ${o.errorRows} rows no longer fit`);
      return outcomes;
    },
  };

  constructor(
    private readonly tenants: TenantsService,
    private readonly transfers: TransfersService,
    private readonly reforms: OrgReformService,
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

/** The job's day (YYYY-MM-DD, Tokyo), today when it carries none. */
function dayOf(asOf: string | undefined): string {
  return asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : tokyoToday();
}
