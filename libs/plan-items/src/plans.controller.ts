import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { CreatePlanDto, UpdatePlanDto } from './dto/plan.dto';
import { PlansService } from './plans.service';
import { PlanDto } from './dto/plan-item.response';

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @ApiOkResponse({ type: PlanDto, isArray: true })
  list() {
    return this.plans.list();
  }

  @Get(':planId')
  @ApiOkResponse({ type: PlanDto })
  get(@Param('planId', IdPipe) planId: number) {
    return this.plans.get(planId);
  }

  @Post()
  @ApiCreatedResponse({ type: PlanDto })
  @Roles('planning', 'admin')
  create(@Body() dto: CreatePlanDto, @CurrentActor() actor: Actor) {
    return this.plans.create(dto, actor);
  }

  @Patch(':planId')
  @ApiOkResponse({ type: PlanDto })
  @Roles('planning', 'admin')
  update(@Param('planId', IdPipe) planId: number, @Body() dto: UpdatePlanDto, @CurrentActor() actor: Actor) {
    return this.plans.update(planId, dto, actor);
  }

  @Delete(':planId')
  @ApiNoContentResponse()
  @Roles('planning', 'admin')
  @HttpCode(204)
  remove(@Param('planId', IdPipe) planId: number, @CurrentActor() actor: Actor) {
    return this.plans.remove(planId, actor);
  }
}
