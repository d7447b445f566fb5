import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import { IdPipe } from '@app/common';
import { TemplateDto } from '@app/cycles';
import type { Actor } from '@app/domain';
import { ComparisonService } from './comparison.service';
import { ComparisonQueryDto } from './dto/comparison-query.dto';
import { ComparisonDto, SharedTemplateDto } from './dto/prefecture.response';
import { AdoptSharedTemplateDto, PublishSharedTemplateDto } from './dto/shared-template.dto';
import { SharedTemplatesService } from './shared-templates.service';

/** A prefecture and its municipalities: shared templates, and the comparison of what they published. */
@ApiTags('prefecture')
@ApiBearerAuth()
@Controller()
export class PrefectureController {
  constructor(
    private readonly shared: SharedTemplatesService,
    private readonly comparison: ComparisonService,
  ) {}

  /** A prefecture's own definitions; a municipality's: those its prefecture distributes. */
  @Get('shared-templates')
  @Roles('planning', 'admin', 'prefecture')
  @ApiOkResponse({ type: SharedTemplateDto, isArray: true })
  list() {
    return this.shared.list();
  }

  /** The prefecture's planning division publishes (or republishes, as the next version) a definition. */
  @Post('shared-templates')
  @Roles('planning', 'admin')
  @ApiCreatedResponse({ type: SharedTemplateDto })
  publish(@Body() dto: PublishSharedTemplateDto, @CurrentActor() actor: Actor) {
    return this.shared.publish(dto, actor);
  }

  /** A municipality's planning division makes its own template of the definition. */
  @Post('shared-templates/:id/adopt')
  @Roles('planning', 'admin')
  @HttpCode(201)
  @ApiCreatedResponse({ type: TemplateDto })
  adopt(@Param('id', IdPipe) id: number, @Body() dto: AdoptSharedTemplateDto, @CurrentActor() actor: Actor) {
    return this.shared.adopt(id, dto, actor);
  }

  @Get('prefecture/comparison')
  @Roles('prefecture')
  @ApiOkResponse({ type: ComparisonDto })
  compare(@Query() q: ComparisonQueryDto) {
    return this.comparison.compare(q.code, q.period);
  }
}
