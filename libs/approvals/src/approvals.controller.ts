import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { ApprovalViewsService } from './approval-views.service';
import { ApprovalsService } from './approvals.service';
import { AuditExportService } from './audit-export.service';
import { ApproveDto, AuditExportQueryDto, BulkApproveDto, InboxQueryDto, ReopenDto, ReturnDto, VersionDto } from './dto/approval-action.dto';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller()
export class ApprovalsController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly views: ApprovalViewsService,
    private readonly auditExport: AuditExportService,
  ) {}

  @Post('entries/:id/approve')
  @HttpCode(200)
  approve(@Param('id', IdPipe) id: number, @Body() dto: ApproveDto, @CurrentActor() actor: Actor) {
    return this.approvals.approve(id, dto, actor);
  }

  @Post('entries/:id/return')
  @HttpCode(200)
  return(@Param('id', IdPipe) id: number, @Body() dto: ReturnDto, @CurrentActor() actor: Actor) {
    return this.approvals.returnEntry(id, dto, actor);
  }

  @Post('entries/:id/withdraw')
  @HttpCode(200)
  withdraw(@Param('id', IdPipe) id: number, @Body() dto: VersionDto, @CurrentActor() actor: Actor) {
    return this.approvals.withdraw(id, dto, actor);
  }

  @Post('entries/:id/reopen')
  @HttpCode(200)
  reopen(@Param('id', IdPipe) id: number, @Body() dto: ReopenDto, @CurrentActor() actor: Actor) {
    return this.approvals.reopen(id, dto, actor);
  }

  /** What I may do with this entry now (the buttons to show), and my approval step if it is my turn. */
  @Get('entries/:id/actions')
  actions(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.views.actions(id, actor);
  }

  @Get('entries/:id/diff')
  diff(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.views.diff(id, actor);
  }

  @Post('approvals/bulk-approve')
  @HttpCode(200)
  bulkApprove(@Body() dto: BulkApproveDto, @CurrentActor() actor: Actor) {
    return this.approvals.bulkApprove(dto.items, actor);
  }

  @Get('approvals/inbox')
  inbox(@Query() query: InboxQueryDto, @CurrentActor() actor: Actor) {
    return this.views.inbox(actor, query);
  }

  @Get('approvals/audit.csv')
  @Roles('planning', 'admin')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="audit.csv"')
  auditCsv(@Query() query: AuditExportQueryDto) {
    return this.auditExport.cycleCsv(query.cycleId);
  }
}
