import { Module } from '@nestjs/common';
import { ApprovalsModule } from '@app/approvals';
import { DelegationLookupModule } from '@app/approvals/delegation-lookup.module';
import { CycleLookupModule } from '@app/cycles/cycle-lookup.module';
import { EntryLookupModule } from '@app/entries/entry-lookup.module';
import { OrgPostsModule, OrgUnitsModule } from '@app/org';
import { OrgLookupModule } from '@app/org/org-lookup.module';
import { PlanItemsModule } from '@app/plan-items';
import { ItemLookupModule } from '@app/plan-items/item-lookup.module';
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
    OrgLookupModule,
    EntryLookupModule,
    ItemLookupModule,
    DelegationLookupModule,
    CycleLookupModule,
  ],
  providers: [TransfersService, TransferJobsService, OrgReformService],
  exports: [TransfersService, TransferJobsService, OrgReformService],
})
export class PersonnelModule {}
