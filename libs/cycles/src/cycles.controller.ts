import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { allowedCycleActions, CYCLE_STATE_LABELS } from '@app/domain';
import { IdPipe } from '@app/common';
import { CreateCycleDto, CycleActionDto } from './dto/cycle.dto';
import { CycleActionResultDto, CycleDto, EnsuredCycleDto } from './dto/cycle.response';
import { Cycle } from './entities/cycle.entity';
import { CyclesService } from './cycles.service';

/** Adds the Japanese state label and the actions the table allows, so the UI draws no rules of its own. */
function present(cycle: Cycle) {
  return { ...cycle, stateLabel: CYCLE_STATE_LABELS[cycle.state], allowedActions: allowedCycleActions(cycle.state) };
}

@ApiTags('cycles')
@ApiBearerAuth()
@Controller('cycles')
export class CyclesController {
  constructor(private readonly cycles: CyclesService) {}

  @Get()
  @ApiOkResponse({ type: CycleDto, isArray: true })
  @ApiQuery({ name: 'templateId', required: false })
  @ApiQuery({ name: 'state', required: false })
  async list(@Query('templateId') templateId?: string, @Query('state') state?: string) {
    const id = templateId ? Number.parseInt(templateId, 10) : undefined;
    return (await this.cycles.list({ templateId: Number.isFinite(id) ? id : undefined, state })).map(present);
  }

  @Get(':id')
  @ApiOkResponse({ type: CycleDto })
  async get(@Param('id', IdPipe) id: number) {
    return present(await this.cycles.get(id));
  }

  @Post()
  @Roles('planning', 'admin')
  @ApiCreatedResponse({ type: EnsuredCycleDto })
  async create(@Body() dto: CreateCycleDto, @CurrentActor() actor: Actor) {
    const { cycle, created } = await this.cycles.ensure(dto, actor);
    return { ...present(cycle), created };
  }

  @Post(':id/actions')
  @ApiOkResponse({ type: CycleActionResultDto })
  @HttpCode(200)
  @Roles('planning', 'admin')
  async act(@Param('id', IdPipe) id: number, @Body() dto: CycleActionDto, @CurrentActor() actor: Actor) {
    const result = await this.cycles.act(id, dto, actor);
    return { ...result, cycle: present(result.cycle) };
  }
}
