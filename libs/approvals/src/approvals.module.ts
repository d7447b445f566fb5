import { Module } from '@nestjs/common';
import { EntriesModule } from '@app/entries';
import { ApprovalRoutingService } from './approval-routing.service';
import { ApprovalViewsService } from './approval-views.service';
import { ApprovalsService } from './approvals.service';
import { AuditExportService } from './audit-export.service';
import { DelegationsService } from './delegations.service';
import { ApproverReadGrant } from './approver-read-grant';

@Module({
  imports: [EntriesModule],
  providers: [ApprovalRoutingService, ApprovalsService, ApprovalViewsService, AuditExportService, DelegationsService, ApproverReadGrant],
  exports: [ApprovalRoutingService, ApprovalsService, ApprovalViewsService, AuditExportService, DelegationsService],
})
export class ApprovalsModule {}
