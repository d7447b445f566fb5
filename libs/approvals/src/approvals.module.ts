import { Module } from '@nestjs/common';
import { EntriesModule } from '@app/entries';
import { ApprovalRoutingService } from './approval-routing.service';
import { ApprovalViewsService } from './approval-views.service';
import { ApprovalsService } from './approvals.service';
import { AuditExportService } from './audit-export.service';
import { DelegationsService } from './delegations.service';

@Module({
  imports: [EntriesModule],
  providers: [ApprovalRoutingService, ApprovalsService, ApprovalViewsService, AuditExportService, DelegationsService],
  exports: [ApprovalRoutingService, ApprovalsService, ApprovalViewsService, AuditExportService, DelegationsService],
})
export class ApprovalsModule {}
