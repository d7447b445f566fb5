import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '@app/auth';
import type { Actor } from '@app/domain';
import { IdPipe } from '@app/common';
import { DelegationsService } from './delegations.service';
import { CreateDelegationDto } from './dto/delegation.dto';

@ApiTags('delegations')
@ApiBearerAuth()
@Controller('delegations')
export class DelegationsController {
  constructor(private readonly delegations: DelegationsService) {}

  @Post()
  create(@Body() dto: CreateDelegationDto, @CurrentActor() actor: Actor) {
    return this.delegations.create(dto, actor);
  }

  @Get()
  mine(@CurrentActor() actor: Actor) {
    return this.delegations.mine(actor);
  }

  @Delete(':id')
  revoke(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor) {
    return this.delegations.revoke(id, actor);
  }
}
