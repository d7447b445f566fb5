import { Module } from '@nestjs/common';
import { ApprovalsModule } from '@app/approvals';
import { DelegationLookupModule } from '@app/approvals/delegation-lookup.module';
import { OrgPostsModule } from '@app/org';
import { PlanItemsModule } from '@app/plan-items';
import { EntryLookupModule } from '@app/entries/entry-lookup.module';
import { OrgLookupModule } from '@app/org/org-lookup.module';
import { ItemLookupModule } from '@app/plan-items/item-lookup.module';
import { TransferJobsService } from './transfer-jobs.service';
import { TransfersService } from './transfers.service';

/** Bulk 人事異動: the service is shared by the api (preview, register, apply now) and the worker (apply on the date). */
@Module({
  imports: [OrgPostsModule, PlanItemsModule, ApprovalsModule, OrgLookupModule, EntryLookupModule, ItemLookupModule, DelegationLookupModule],
  providers: [TransfersService, TransferJobsService],
  exports: [TransfersService, TransferJobsService],
})
export class PersonnelModule {}
