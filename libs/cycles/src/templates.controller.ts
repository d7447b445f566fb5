import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe, RatingScaleDto } from '@app/common';
import { CreateScaleDto } from './dto/cycle.dto';
import { TemplateDto } from './dto/cycle.response';
import { CreateTemplateDto, UpdateTemplateDto } from './dto/template.dto';
import { RatingScalesService } from './rating-scales.service';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@ApiBearerAuth()
@Controller()
export class TemplatesController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly scales: RatingScalesService,
  ) {}

  @Get('templates')
  @ApiOkResponse({ type: TemplateDto, isArray: true })
  list() {
    return this.templates.list();
  }

  @Get('templates/:id')
  @ApiOkResponse({ type: TemplateDto })
  get(@Param('id', IdPipe) id: number) {
    return this.templates.get(id);
  }

  @Post('templates')
  @ApiCreatedResponse({ type: TemplateDto })
  @Roles('planning', 'admin')
  create(@Body() dto: CreateTemplateDto, @CurrentActor() actor: Actor) {
    return this.templates.create(dto, actor);
  }

  @Patch('templates/:id')
  @ApiOkResponse({ type: TemplateDto })
  @Roles('planning', 'admin')
  update(@Param('id', IdPipe) id: number, @Body() dto: UpdateTemplateDto, @CurrentActor() actor: Actor) {
    return this.templates.update(id, dto, actor);
  }

  @Get('scales')
  @ApiOkResponse({ type: RatingScaleDto, isArray: true })
  scalesList() {
    return this.scales.list();
  }

  @Post('scales')
  @ApiCreatedResponse({ type: RatingScaleDto })
  @Roles('planning', 'admin')
  createScale(@Body() dto: CreateScaleDto, @CurrentActor() actor: Actor) {
    return this.scales.create(dto, actor);
  }
}
