import { Module } from '@nestjs/common';
import { RecommendationReads } from './recommendation-reads.service';
import { CyclesModule } from '@app/cycles';
import { EntriesModule } from '@app/entries';
import { OrgDirectoryModule } from '@app/org';
import { PlanItemReadsModule } from '@app/plan-items';
import { ApprovalRoutingService } from './approval-routing.service';
import { ApprovalViewsService } from './approval-views.service';
import { ApprovalsService } from './approvals.service';
import { AuditExportService } from './audit-export.service';
import { DelegationsService } from './delegations.service';
import { ApproverReadGrant } from './approver-read-grant';
import { ExternalReviewService } from './external-review.service';

@Module({
  imports: [EntriesModule, CyclesModule, OrgDirectoryModule, PlanItemReadsModule],
  providers: [
    ApprovalRoutingService,
    ApprovalsService,
    ApprovalViewsService,
    AuditExportService,
    DelegationsService,
    ApproverReadGrant,
    ExternalReviewService,
    RecommendationReads,
  ],
  exports: [ApprovalRoutingService, ApprovalsService, ApprovalViewsService, AuditExportService, DelegationsService, ExternalReviewService, RecommendationReads],
})
export class ApprovalsModule {}
