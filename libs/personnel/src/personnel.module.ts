import { Module } from '@nestjs/common';
import { ApprovalsModule } from '@app/approvals';
import { OrgPostsModule } from '@app/org';
import { PlanItemsModule } from '@app/plan-items';
import { TransferJobsService } from './transfer-jobs.service';
import { TransfersService } from './transfers.service';

/** Bulk 人事異動: the service is shared by the api (preview, register, apply now) and the worker (apply on the date). */
@Module({
  imports: [OrgPostsModule, PlanItemsModule, ApprovalsModule],
  providers: [TransfersService, TransferJobsService],
  exports: [TransfersService, TransferJobsService],
})
export class PersonnelModule {}
