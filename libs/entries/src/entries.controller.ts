import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { EntryQueryDto, MatrixQueryDto } from './dto/entry-query.dto';
import { SaveEntryDto } from './dto/save-entry.dto';
import { EntriesService } from './entries.service';
import { EntryViewsService } from './entry-views.service';
import { AuditRowDto, EntryDetailDto, EntryDto, EntryPageDto, EntryRowDto, MatrixDto } from './dto/entry.response';

@ApiTags('entries')
@ApiBearerAuth()
@Controller()
export class EntriesController {
  constructor(
    private readonly entries: EntriesService,
    private readonly views: EntryViewsService,
  ) {}

  @Get('entries/mine')
  @ApiOkResponse({ type: EntryRowDto, isArray: true })
  mine(@CurrentActor() actor: Actor) {
    return this.views.mine(actor);
  }

  @Get('cycles/:cycleId/entries')
  @ApiOkResponse({ type: EntryPageDto })
  list(@Param('cycleId', IdPipe) cycleId: number, @Query() query: EntryQueryDto, @CurrentActor() actor: Actor) {
    return this.views.listForCycle(cycleId, query, actor);
  }

  @Get('templates/:templateId/matrix')
  @ApiOkResponse({ type: MatrixDto })
  matrix(@Param('templateId', IdPipe) templateId: number, @Query() query: MatrixQueryDto, @CurrentActor() actor: Actor) {
    return this.views.matrix(templateId, query.fiscalYear, actor);
  }

  @Get('entries/:id')
  @ApiOkResponse({ type: EntryDetailDto })
  detail(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.views.detail(id, actor);
  }

  @Get('entries/:id/history')
  @ApiOkResponse({ type: AuditRowDto, isArray: true })
  history(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.views.history(id, actor);
  }

  @Put('entries/:id')
  @ApiOkResponse({ type: EntryDto })
  save(@Param('id', IdPipe) id: number, @Body() dto: SaveEntryDto, @CurrentActor() actor: Actor) {
    return this.entries.save(id, dto, actor);
  }

  @Post('entries/:id/submit')
  @ApiOkResponse({ type: EntryDto })
  @HttpCode(200)
  submit(@Param('id', IdPipe) id: number, @Body() dto: SaveEntryDto, @CurrentActor() actor: Actor) {
    return this.entries.submit(id, dto, actor);
  }
}
