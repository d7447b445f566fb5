import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { EntryQueryDto, MatrixQueryDto } from './dto/entry-query.dto';
import { SaveEntryDto } from './dto/save-entry.dto';
import { EntriesService } from './entries.service';
import { EntryViewsService } from './entry-views.service';

@ApiTags('entries')
@ApiBearerAuth()
@Controller()
export class EntriesController {
  constructor(
    private readonly entries: EntriesService,
    private readonly views: EntryViewsService,
  ) {}

  @Get('entries/mine')
  mine(@CurrentActor() actor: Actor) {
    return this.views.mine(actor);
  }

  @Get('cycles/:cycleId/entries')
  list(@Param('cycleId', IdPipe) cycleId: number, @Query() query: EntryQueryDto, @CurrentActor() actor: Actor) {
    return this.views.listForCycle(cycleId, query, actor);
  }

  @Get('templates/:templateId/matrix')
  matrix(@Param('templateId', IdPipe) templateId: number, @Query() query: MatrixQueryDto, @CurrentActor() actor: Actor) {
    return this.views.matrix(templateId, query.fiscalYear, actor);
  }

  @Get('entries/:id')
  detail(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.views.detail(id, actor);
  }

  @Get('entries/:id/history')
  history(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.views.history(id, actor);
  }

  @Put('entries/:id')
  save(@Param('id', IdPipe) id: number, @Body() dto: SaveEntryDto, @CurrentActor() actor: Actor) {
    return this.entries.save(id, dto, actor);
  }

  @Post('entries/:id/submit')
  @HttpCode(200)
  submit(@Param('id', IdPipe) id: number, @Body() dto: SaveEntryDto, @CurrentActor() actor: Actor) {
    return this.entries.submit(id, dto, actor);
  }
}
