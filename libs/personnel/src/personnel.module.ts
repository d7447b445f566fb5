import { Module } from '@nestjs/common';
import { ApprovalsModule } from '@app/approvals';
import { DelegationLookupModule } from '@app/approvals/delegation-lookup.module';
import { CycleReadsModule } from '@app/cycles/cycle-reads.module';
import { EntryReadsModule } from '@app/entries/reads/entry-reads.module';
import { OrgPostsModule, OrgUnitsModule } from '@app/org';
import { OrgDirectoryModule } from '@app/org/directory/org-directory.module';
import { PlanItemsModule } from '@app/plan-items';
import { PlanItemReadsModule } from '@app/plan-items/reads/plan-item-reads.module';
import { OrgReformService } from './reform/org-reform.service';
import { TransferJobsService } from './transfer-jobs.service';
import { TransfersService } from './transfers.service';

/** Bulk 人事異動 and 機構改革: the services are shared by the api (preview, register, apply now) and the worker (apply on the date). */
@Module({
  imports: [
    OrgPostsModule,
    OrgUnitsModule,
    PlanItemsModule,
    ApprovalsModule,
    OrgDirectoryModule,
    EntryReadsModule,
    PlanItemReadsModule,
    DelegationLookupModule,
    CycleReadsModule,
  ],
  providers: [TransfersService, TransferJobsService, OrgReformService],
  exports: [TransfersService, TransferJobsService, OrgReformService],
})
export class PersonnelModule {}
