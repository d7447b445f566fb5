import { Module } from '@nestjs/common';
import { ApprovalsModule } from '@app/approvals';
import { OrgPostsModule, OrgUnitsModule } from '@app/org';
import { PlanItemsModule } from '@app/plan-items';
import { OrgReformService } from './reform/org-reform.service';
import { TransferJobsService } from './transfer-jobs.service';
import { TransfersService } from './transfers.service';

/** Bulk 人事異動 and 機構改革: the services are shared by the api (preview, register, apply now) and the worker (apply on the date). */
@Module({
  imports: [OrgPostsModule, OrgUnitsModule, PlanItemsModule, ApprovalsModule],
  providers: [TransfersService, TransferJobsService, OrgReformService],
  exports: [TransfersService, TransferJobsService, OrgReformService],
})
export class PersonnelModule {}
