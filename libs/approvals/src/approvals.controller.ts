import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { EntryDto } from '@app/entries';
import { ApprovalViewsService } from './approval-views.service';
import { ApprovalsService } from './approvals.service';
import { AuditExportService } from './audit-export.service';
import { ApproveDto, AuditExportQueryDto, BulkApproveDto, InboxQueryDto, ReopenDto, ReturnDto, VersionDto } from './dto/approval-action.dto';
import { BulkResultDto, DiffRowDto, EntryActionsDto, InboxDto } from './dto/approval.response';

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
  @ApiOkResponse({ type: EntryDto })
  @HttpCode(200)
  approve(@Param('id', IdPipe) id: number, @Body() dto: ApproveDto, @CurrentActor() actor: Actor) {
    return this.approvals.approve(id, dto, actor);
  }

  @Post('entries/:id/return')
  @ApiOkResponse({ type: EntryDto })
  @HttpCode(200)
  return(@Param('id', IdPipe) id: number, @Body() dto: ReturnDto, @CurrentActor() actor: Actor) {
    return this.approvals.returnEntry(id, dto, actor);
  }

  @Post('entries/:id/withdraw')
  @ApiOkResponse({ type: EntryDto })
  @HttpCode(200)
  withdraw(@Param('id', IdPipe) id: number, @Body() dto: VersionDto, @CurrentActor() actor: Actor) {
    return this.approvals.withdraw(id, dto, actor);
  }

  @Post('entries/:id/reopen')
  @ApiOkResponse({ type: EntryDto })
  @HttpCode(200)
  reopen(@Param('id', IdPipe) id: number, @Body() dto: ReopenDto, @CurrentActor() actor: Actor) {
    return this.approvals.reopen(id, dto, actor);
  }

  /** What I may do with this entry now (the buttons to show), and my approval step if it is my turn. */
  @Get('entries/:id/actions')
  @ApiOkResponse({ type: EntryActionsDto })
  actions(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.views.actions(id, actor);
  }

  @Get('entries/:id/diff')
  @ApiOkResponse({ type: DiffRowDto, isArray: true })
  diff(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.views.diff(id, actor);
  }

  @Post('approvals/bulk-approve')
  @ApiOkResponse({ type: BulkResultDto, isArray: true })
  @HttpCode(200)
  bulkApprove(@Body() dto: BulkApproveDto, @CurrentActor() actor: Actor) {
    return this.approvals.bulkApprove(dto.items, actor);
  }

  @Get('approvals/inbox')
  @ApiOkResponse({ type: InboxDto })
  inbox(@Query() query: InboxQueryDto, @CurrentActor() actor: Actor) {
    return this.views.inbox(actor, query);
  }

  @Get('approvals/audit.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({ schema: { type: 'string' }, description: "the cycle's audit rows as CSV" })
  @Roles('planning', 'admin')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="audit.csv"')
  auditCsv(@Query() query: AuditExportQueryDto) {
    return this.auditExport.cycleCsv(query.cycleId);
  }
}
